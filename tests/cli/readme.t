#!/bin/sh
# The README's examples are tests: every line of README.md that starts with "    $ " is run,
# in order, in one shell, from the repository root with build/ on PATH, under a terminal
# (script(1)), so that dcx prints tables as it does for a reader. An example fails when it
# exits non-zero (an example that expects failure shows its exit code, "; echo $?"), or when
# a line the README shows as its output is missing from what it printed ("..." lines stand
# for output left out; "..." within a line for text that differs from run to run). Examples write only under the scratch folder they make ($tour).
#
# README_SHOW=1 prints each example's output (for writing the README).
. "$(dirname "$0")/tap.sh"
D=$T_DIR
ROOT=$(cd "$DCX_ROOT" && pwd)
BUILD=$(cd "$DCX_BUILD" && pwd)
if [ "$BUILD" != "$ROOT/build" ]; then
    t_skip "README examples" "they run the build/ that the README puts on PATH, not $BUILD"
    t_done
    exit 0
fi
if ! command -v script >/dev/null 2>&1; then
    t_skip "README examples" "script(1) is not installed (Debian: bsdutils)"
    t_done
    exit 0
fi

# commands and expected output lines out of the README
awk -v script="$D/run.sh" -v expect="$D/expect" -v cmds="$D/cmds" '
    function flush_cmd(  one) { if (cmd != "") { one = cmd; gsub(/\n/, " ", one); print num "\t" one > cmds
        printf "printf \"\\n@@BEGIN %d@@\\n\"\n%s\nprintf \"\\n@@END %d %%s@@\\n\" \"$?\"\n", num, cmd, num > script
        cmd = "" } }
    BEGIN { n = 0; cmd = ""; cont = 0; inblock = 0 }
    /^    \$ / { flush_cmd(); num = ++n; cmd = substr($0, 7); cont = ($0 ~ /\\$/); inblock = 1; next }
    cont { cmd = cmd "\n" $0; cont = ($0 ~ /\\$/); next }
    inblock && /^    / { line = substr($0, 5); sub(/[ \t]+$/, "", line)
        if (line != "..." && line != "") print n "\t" line > expect; next }
    inblock && /^[ \t]*$/ { next }
    { flush_cmd(); inblock = 0 }
    END { flush_cmd() }' "$ROOT/README.md"
touch "$D/expect"
if [ ! -s "$D/cmds" ]; then
    t_report 0 "README examples found" "no '    \$ ' lines in README.md"
    t_done
    exit 1
fi

# one shell session under a terminal, from the repository root, build/ on PATH
{
    echo "cd '$ROOT' || exit 1"
    echo "export PATH='$BUILD':\"\$PATH\""
    echo "unset DCX_PROGRESS"
    cat "$D/run.sh"
} >"$D/session.sh"
(cd "$ROOT" && timeout 600 script -qec "sh '$D/session.sh'" /dev/null </dev/null) 2>&1 | tr -d '\r' >"$D/log"

# per example: its exit status and its expected lines
awk -v expect="$D/expect" -v cmds="$D/cmds" -v show="${README_SHOW:-}" '
    # a shown line is in the output: exactly, or, when it holds "...", as a line that has
    # the pieces around each "..." in order (for paths that differ from run to run)
    function found(text, line,   np, p, nl, ls, k, j, at, pos) {
        if (index(line, "...") == 0) return index(text, "\n" line "\n") > 0
        np = split(line, p, /\.\.\./); nl = split(text, ls, "\n")
        for (k = 1; k <= nl; k++) {
            pos = 1
            for (j = 1; j <= np; j++) {
                if (p[j] == "") continue
                at = index(substr(ls[k], pos), p[j])
                if (at == 0 || (j == 1 && at != 1)) break
                pos += at - 1 + length(p[j])
            }
            if (j > np && (p[np] == "" || substr(ls[k], length(ls[k]) - length(p[np]) + 1) == p[np])) return 1
        }
        return 0
    }
    BEGIN { while ((getline l < cmds) > 0) { split(l, a, "\t"); c = substr(l, length(a[1]) + 2)
                cmd[a[1] + 0] = c; last = a[1] + 0 }
            FS = "\t" }
    /^@@BEGIN [0-9]+@@$/ { cur = substr($0, 9) + 0; out[cur] = ""; next }
    /^@@END [0-9]+ [0-9]+@@$/ { split($0, a, " "); rc[a[2] + 0] = a[3] + 0; ran[a[2] + 0] = 1; cur = 0; next }
    cur { sub(/[ \t]+$/, ""); out[cur] = out[cur] "\n" $0 "\n" }
    END {
        while ((getline l < expect) > 0) { k = index(l, "\t"); i = substr(l, 1, k - 1) + 0
                                             want[i] = want[i] substr(l, k + 1) "\037" }
        for (i = 1; i <= last; i++) {
            name = cmd[i]; gsub(/  +/, " ", name)
            if (length(name) > 110) name = substr(name, 1, 107) "..."
            if (show != "") printf "# ---- %d: %s\n%s\n", i, cmd[i], out[i]
            if (!ran[i]) { printf "not ok %d - README example %d did not finish: %s\n", i, i, name; bad++; continue }
            miss = ""
            nw = split(want[i], w, "\037")
            for (k = 1; k < nw; k++) if (!found(out[i], w[k])) miss = miss "\n#   missing: " w[k]
            if (rc[i] != 0) { printf "not ok %d - README example %d exits %d: %s\n", i, i, rc[i], name
                              n = split(out[i], o, "\n"); for (k = 1; k <= n && k < 12; k++) if (o[k] != "") print "#   " o[k]; bad++ }
            else if (miss != "") { printf "not ok %d - README example %d prints what the README shows: %s%s\n", i, i, name, miss
                                   n = split(out[i], o, "\n"); for (k = 1; k <= n && k < 30; k++) if (o[k] != "") print "#   | " o[k]; bad++ }
            else printf "ok %d - README example %d: %s\n", i, i, name
        }
        printf "1..%d\n", last
        exit bad > 0
    }' "$D/log"
