#!/bin/sh
# The layer order of lib/ (README, "Architecture"):
#   core < data < stats < {assign, analysis, maturity} < {view, plot, report, sql} < commands
# A file uses only its own layer and those below it, checked twice: over the #include lines
# of every source and header, and over the undefined symbols of every object (a call that
# no include shows is still a call). Two edges inside a rank are part of the design:
# analysis -> assign (the design of an experiment is read from its assign config) and
# report -> plot (reports embed plots). No file under lib/ includes the umbrella dcx/dcx.h.
. "$(dirname "$0")/tap.sh"
cd "$DCX_ROOT" || exit 1

rank() { # rank LAYER
    case $1 in
    core) echo 0 ;; data) echo 1 ;; stats) echo 2 ;;
    assign | analysis | maturity) echo 3 ;;
    view | plot | report | sql) echo 4 ;;
    commands) echo 5 ;;
    *) echo 99 ;;
    esac
}
# the layer of a public header
public_layer() {
    case $1 in
    api.h | version.h | env.h | error.h | options.h | text.h | jsonio.h | progress.h | moments.h | rows.h | doc.h) echo core ;;
    csv.h) echo data ;;
    stats.h) echo stats ;;
    assign.h) echo assign ;;
    analysis.h) echo analysis ;;
    maturity.h) echo maturity ;;
    view.h) echo view ;;
    plot.h) echo plot ;;
    report.h) echo report ;;
    sql.h) echo sql ;;
    command.h | planning.h) echo commands ;;
    dcx.h) echo umbrella ;;
    *) echo unknown ;;
    esac
}
allowed() { # allowed FROM TO: may a file of layer FROM use layer TO?
    [ "$1" = "$2" ] && return 0
    case "$1>$2" in analysis\>assign | report\>plot) return 0 ;; esac
    rf=$(rank "$1")
    rt=$(rank "$2")
    [ "$rt" -lt "$rf" ]
}

# ---- #include lines ------------------------------------------------------------------------
: >"$T_DIR/bad_includes"
: >"$T_DIR/umbrella"
for f in lib/*/*.c lib/*/*.h; do
    from=$(basename "$(dirname "$f")")
    sed -n 's/^#include "\(.*\)".*/\1/p' "$f" | while read -r inc; do
        case $inc in
        dcx/dcx.h) echo "$f" >>"$T_DIR/umbrella" ;;
        dcx/*) to=$(public_layer "${inc#dcx/}") ;;
        *)
            where=$(ls lib/*/"$inc" 2>/dev/null | head -1)
            [ -n "$where" ] || { echo "$f: $inc (no such header under lib/)" >>"$T_DIR/bad_includes"; continue; }
            to=$(basename "$(dirname "$where")")
            ;;
        esac
        [ "$inc" = dcx/dcx.h ] && continue
        allowed "$from" "$to" || echo "$f ($from) includes $inc ($to)" >>"$T_DIR/bad_includes"
    done
done
t_ok "[ ! -s '$T_DIR/umbrella' ]" "no file under lib/ includes the umbrella dcx/dcx.h"
sed 's/^/#   /' "$T_DIR/umbrella"
t_ok "[ ! -s '$T_DIR/bad_includes' ]" "every #include under lib/ points to its own layer or one below"
sed 's/^/#   /' "$T_DIR/bad_includes"

# ---- undefined symbols -----------------------------------------------------------------------
OBJ=$DCX_BUILD/obj/lib
if [ ! -d "$OBJ" ] || ! command -v nm >/dev/null 2>&1; then
    t_skip "calls between layers" "no objects under $OBJ, or no nm"
    t_done
fi
: >"$T_DIR/defs"
# objects of the sources there are now (a build folder may keep one of a file since moved)
objects() {
    for o in "$OBJ"/*/*.o; do
        src=lib/${o#"$OBJ"/}
        [ -f "${src%.o}.c" ] && echo "$o"
    done
}
for o in $(objects); do
    layer=$(basename "$(dirname "$o")")
    nm --defined-only "$o" | awk -v l="$layer" -v f="$o" '$2 ~ /^[TDBRC]$/ { print $3, l, f }' >>"$T_DIR/defs"
done
: >"$T_DIR/uses"
for o in $(objects); do
    layer=$(basename "$(dirname "$o")")
    nm -u "$o" | awk -v l="$layer" -v f="${o#"$OBJ"/}" '{ print $2, l, f }' >>"$T_DIR/uses"
done
# uses joined with definitions (libc, GSL, cJSON and libcsv symbols have none): "from to sym obj"
awk 'NR == FNR { def[$1] = $2; next } ($1 in def) { print $2, def[$1], $1, $3 }' \
    "$T_DIR/defs" "$T_DIR/uses" | sort -u >"$T_DIR/edges"
: >"$T_DIR/bad_calls"
while read -r from to sym obj; do
    allowed "$from" "$to" || echo "$obj ($from) uses $sym ($to)" >>"$T_DIR/bad_calls"
done <"$T_DIR/edges"
t_ok "[ ! -s '$T_DIR/bad_calls' ]" "every call between objects of lib/ goes to its own layer or one below"
sed 's/^/#   /' "$T_DIR/bad_calls"
t_done
