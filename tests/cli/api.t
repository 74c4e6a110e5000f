#!/bin/sh
# The library's interface: libdcx.so exports only dcx_ symbols, each declared with DCX_API
# in a public header under lib/include/dcx/, carries a SONAME, and the Lua module exports
# only its entry point.
. "$(dirname "$0")/tap.sh"
cd "$DCX_ROOT" || exit 1
SO=$DCX_BUILD/libdcx.so
if ! command -v nm >/dev/null 2>&1 || ! command -v readelf >/dev/null 2>&1; then
    t_skip "exported symbols" "nm or readelf (binutils) not installed"
    true
t_done
fi
# __bss_start, _edata and _end are the linker's markers of the data segment, in every
# shared object ld makes, and __odr_asan.NAME the one-definition-rule indicator
# AddressSanitizer adds beside each exported variable (make sanitize); none is code of ours
syms() { nm -D --defined-only "$1" | awk '$3 !~ /^(__bss_start|_edata|_end|__odr_asan\..*)$/ { print $3 }' | sort; }
syms "$SO" >"$T_DIR/exported"
t_ok "[ \$(wc -l <'$T_DIR/exported') -gt 100 ]" "libdcx.so exports its API ($(wc -l <"$T_DIR/exported") symbols)"
grep -v '^dcx_' "$T_DIR/exported" >"$T_DIR/foreign"
t_ok "[ ! -s '$T_DIR/foreign' ]" "every exported symbol starts with dcx_"
[ -s "$T_DIR/foreign" ] && sed 's/^/#   not dcx_: /' "$T_DIR/foreign" | head -20
# every exported symbol is declared with DCX_API in a public header
sed -n 's/^DCX_API .*[^a-z0-9_]\(dcx_[a-z0-9_]*\) *[(\[].*/\1/p' lib/include/dcx/*.h | sort -u >"$T_DIR/declared"
comm -23 "$T_DIR/exported" "$T_DIR/declared" >"$T_DIR/undeclared"
t_ok "[ ! -s '$T_DIR/undeclared' ]" "each is declared with DCX_API under lib/include/dcx/"
[ -s "$T_DIR/undeclared" ] && sed 's/^/#   undeclared: /' "$T_DIR/undeclared" | head -20
comm -13 "$T_DIR/exported" "$T_DIR/declared" >"$T_DIR/missing"
t_ok "[ ! -s '$T_DIR/missing' ]" "each DCX_API declaration is exported (no stale declaration)"
[ -s "$T_DIR/missing" ] && sed 's/^/#   not exported: /' "$T_DIR/missing" | head -20
t_ok "readelf -d '$SO' | grep -q 'SONAME.*\\[libdcx\\.so\\.0\\]'" "libdcx.so has the SONAME libdcx.so.0"
syms "$DCX_BUILD/dcx.so" | grep -v '^dcx_' >"$T_DIR/lua"
t_ok "[ \"\$(cat '$T_DIR/lua')\" = luaopen_dcx ]" "the Lua module exports luaopen_dcx and the dcx_ API, nothing of its own"
true
t_done
