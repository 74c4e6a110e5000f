#!/bin/sh
# The project documents itself: the man page renders clean and has its sections, every
# option of every command is documented, --help lists the values of enumerated options,
# the documents' links lead to files that exist, the README's set-up names every package
# scripts/install-deps.sh installs, and no file refers to a document the project does not
# ship.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
cd "$DCX_ROOT" || exit 1

# ---- the man page ------------------------------------------------------------------------
if command -v mandoc >/dev/null 2>&1; then
    t_ok "mandoc -T lint docs/dcx.1 >'$D/lint' 2>&1 && [ ! -s '$D/lint' ]" "man page: mandoc -T lint is clean"
else
    t_skip "man page: mandoc -T lint is clean" "mandoc is not installed"
fi
if command -v groff >/dev/null 2>&1; then
    t_ok "groff -ww -z -man docs/dcx.1 >'$D/groff' 2>&1 && [ ! -s '$D/groff' ]" "man page: groff -ww renders without a warning"
else
    t_skip "man page: groff -ww renders without a warning" "groff is not installed"
fi
for sec in NAME SYNOPSIS DESCRIPTION COMMANDS OUTPUT FILES "EXIT STATUS" ENVIRONMENT EXAMPLES "SEE ALSO"; do
    t_ok "grep -qx '.SH \"*$sec\"*' docs/dcx.1" "man page has $sec"
done
t_ok "grep -q 'docs/formats.md' docs/dcx.1" "man page FILES points to docs/formats.md"
t_ok "grep -q 'DCX_PROGRESS' docs/dcx.1 && grep -q 'DCX_GNUPLOT' docs/dcx.1" "man page lists the environment"

# ---- every option of every command is documented, and --help lists enumerated values ---------
for c in assign analyze aggregate power srm bandit sql "maturity score" "maturity validate" "maturity template" "maturity compare" plot report; do
    # shellcheck disable=SC2086
    "$DCX" $c --help | grep -o '^  --[a-z-]*' | sed 's/^  //'
done | sort -u >"$D/opts"
missing=
for o in $(cat "$D/opts"); do
    grep -q -- "$o\b" README.md docs/formats.md docs/methods.md docs/lua.md docs/warehouse.md || missing="$missing $o"
done
t_ok "[ -z '$missing' ]" "every option is documented in README.md or docs/ (missing:$missing)"
t_run 0 "$DCX" analyze --help
t_has "(none|bonferroni|holm|hochberg|bh|by)" "--help lists the values of --correction"
t_has "frequentist, bayesian, sequential (mSPRT) or group-sequential" "and of --method"
t_run 0 "$DCX" maturity score --help
t_has "table, json, csv, markdown or xlsx" "and of --format"

# ---- links between the documents lead somewhere ---------------------------------------------
bad=
for f in README.md docs/*.md; do
    dir=$(dirname "$f")
    for l in $(grep -o '](\([^)#:]*\)' "$f" | sed 's/^](//' | sort -u); do
        [ -z "$l" ] && continue
        [ -e "$dir/$l" ] || bad="$bad $f:$l"
    done
done
t_ok "[ -z '$bad' ]" "relative links in README.md and docs/ exist (broken:$bad)"
# anchors (#name, file.md#name) name a heading of their document, GitHub style
anchors() { # anchors FILE: the anchor of each heading
    sed -n 's/^#\{1,6\} //p' "$1" | tr 'A-Z' 'a-z' | sed 's/[^a-z0-9 _-]//g; s/ /-/g'
}
badanchor=
for f in README.md docs/*.md; do
    dir=$(dirname "$f")
    for l in $(grep -o '](\([^)]*#[^)]*\))' "$f" | sed 's/^](//; s/)$//' | sort -u); do
        file=${l%%#*} anchor=${l#*#}
        target=$f
        [ -n "$file" ] && target=$dir/$file
        anchors "$target" | grep -qx -- "$anchor" || badanchor="$badanchor $f:$l"
    done
done
t_ok "[ -z '$badanchor' ]" "every #anchor names a heading (broken:$badanchor)"

# ---- the README's set-up names every package scripts/install-deps.sh installs ---------------
sed -n 's/^PKGS="\(.*\)"$/\1/p' scripts/install-deps.sh | tr ' ' '\n' | grep -v -e '^\$PKGS$' -e '^$' >"$D/pkgs"
sed -n '/^## Set-up/,/^## /p' README.md | tr -s ' `(),;:' '\n' >"$D/setup_words"
unnamed=
for p in $(cat "$D/pkgs"); do
    grep -qx -- "$p" "$D/setup_words" || unnamed="$unnamed $p"
done
t_ok "[ \$(wc -l <'$D/pkgs') -ge 10 ] && [ -z '$unnamed' ]" \
    "README's set-up names every package install-deps.sh installs (unnamed:$unnamed)"

# ---- nothing refers to a document the project does not ship --------------------------------
if [ -d .git ] && command -v git >/dev/null 2>&1; then
    git ls-files >"$D/files"
else
    find . -type f ! -path './build/*' ! -path './.git/*' | sed 's|^\./||' >"$D/files"
fi
# (this file names the word it looks for, so it is left out)
refs=$(grep -v '^tests/cli/docs.t$' "$D/files" | xargs grep -l -I 'CONTRACT' 2>/dev/null | tr '\n' ' ')
t_ok "[ -z '$refs' ]" "no file cites CONTRACT (found in: $refs)"
t_done
