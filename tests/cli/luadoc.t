#!/bin/sh
# docs/lua.md's examples are tests: every ```lua block runs from the repository root under
# `dcx run` and, where the module can be loaded by the stock interpreter, under lua5.4, and
# must print exactly its "--> " lines. A block with "-- needs: gnuplot" is skipped where
# gnuplot is missing. And every function of the module, and every method of its objects, is
# used in some block.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
cd "$DCX_ROOT" || exit 1
DOC=docs/lua.md

awk -v dir="$D" '
    /^```lua[ \t]*$/ { n++; inblock = 1; f = dir "/block" n ".lua"; e = dir "/block" n ".want"
                       printf "" > f; printf "" > e; next }
    inblock && /^```[ \t]*$/ { inblock = 0; close(f); close(e); next }
    inblock { print > f; if ($0 ~ /^--> /) print substr($0, 5) > e; else if ($0 == "-->") print "" > e }
    END { print n > (dir "/count") }' "$DOC"
N=$(cat "$D/count")
if [ -z "$N" ] || [ "$N" -lt 1 ]; then
    t_report 0 "docs/lua.md has lua examples"
    t_done
    exit 1
fi

STOCK=0
case "$DCX_BUILD" in *sanitize*) ;; *) command -v lua5.4 >/dev/null 2>&1 && STOCK=1 ;; esac
HAVE_GNUPLOT=0
command -v "${DCX_GNUPLOT:-gnuplot}" >/dev/null 2>&1 && HAVE_GNUPLOT=1

i=1
while [ "$i" -le "$N" ]; do
    b=$D/block$i.lua
    what="docs/lua.md example $i ($(grep -m1 -o 'dcx\.[a-z_.]*' "$b" | grep -v '^dcx\.null$' | head -1))"
    if grep -q '^-- needs: gnuplot' "$b" && [ "$HAVE_GNUPLOT" = 0 ]; then
        t_skip "$what" "gnuplot is not installed"
        t_skip "$what under lua5.4" "gnuplot is not installed"
        i=$((i + 1))
        continue
    fi
    "$DCX" run "$b" >"$D/got" 2>"$D/err"
    rc=$?
    if [ "$rc" = 0 ] && cmp -s "$D/got" "$D/block$i.want"; then
        t_report 1 "$what prints what the page shows"
    else
        t_report 0 "$what prints what the page shows" "exit $rc; $(diff "$D/block$i.want" "$D/got" | head -12; head -c 400 "$D/err")"
    fi
    if [ "$STOCK" = 1 ]; then
        env LUA_CPATH="$DCX_BUILD/?.so" lua5.4 "$b" >"$D/got5" 2>"$D/err5"
        rc=$?
        if [ "$rc" = 0 ] && cmp -s "$D/got5" "$D/block$i.want"; then
            t_report 1 "$what under lua5.4 too"
        else
            t_report 0 "$what under lua5.4 too" "exit $rc; $(diff "$D/block$i.want" "$D/got5" | head -12; head -c 400 "$D/err5")"
        fi
    else
        t_skip "$what under lua5.4" "lua5.4 missing, or a sanitizer build"
    fi
    i=$((i + 1))
done

# every function and method is used in some example
cat "$D"/block*.lua >"$D/all.lua"
cat >"$D/cover.lua" <<'EOF'
local text = io.open(arg[1]):read("a")
local missing = {}
local function used(name)
  for _, form in ipairs({"." .. name .. "(", "." .. name .. "{", ":" .. name .. "(",
                         "." .. name .. ",", "." .. name .. " ", "." .. name .. ")"}) do
    if text:find(form, 1, true) then return true end
  end
  return false
end
local function walk(t, path, seen)
  if seen[t] then return end
  seen[t] = true
  for k, v in pairs(t) do
    local name = path .. "." .. k
    if type(v) == "table" then walk(v, name, seen)
    elseif not used(k) then missing[#missing + 1] = name end
  end
end
walk(dcx, "dcx", {})
local reg = debug.getregistry()
for _, mt in ipairs({"dcx.reader", "dcx.writer", "dcx.accumulator"}) do
  for k in pairs(reg[mt].__index) do
    if not used(k) then missing[#missing + 1] = mt .. ":" .. k end
  end
end
table.sort(missing)
print(table.concat(missing, " "))
EOF
"$DCX" run "$D/cover.lua" "$D/all.lua" >"$D/missing" 2>&1
t_ok "[ ! -s '$D/missing' ] || [ -z \"\$(tr -d ' \\n' <'$D/missing')\" ]" \
    "every function and method of the module has an example in docs/lua.md (missing: $(cat "$D/missing"))"
t_done
