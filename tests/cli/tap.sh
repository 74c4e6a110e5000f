# tap.sh — TAP helpers for dcx's shell tests. Source it; $DCX is the binary under test.
#   t_run EXIT CMD...          runs CMD, checks its exit status; output in $OUT / $ERR
#   t_has TEXT NAME            stdout of the last t_run contains TEXT (fixed string)
#   t_err TEXT NAME            stderr of the last t_run contains TEXT
#   t_lacks TEXT NAME          stdout of the last t_run does not contain TEXT
#   t_err_lacks TEXT NAME      stderr of the last t_run does not contain TEXT
#   t_same FILE NAME           stdout of the last t_run equals FILE (golden file)
#   t_ok COND_CMD NAME         COND_CMD succeeds
#   t_skip NAME WHY            a test that cannot run here (TAP "# SKIP")
#   t_xlsx JSON XLSX NAME      the workbook holds the JSON result, cell by cell (openpyxl)
#   t_json PYEXPR NAME         a Python expression over the JSON stdout of the last t_run holds
#   t_schema SCHEMA NAME FILE...  the JSON files are valid against docs/schema/SCHEMA
#   t_done                     prints the plan, exits non-zero on failure
: "${DCX:=build/dcx}"
: "${DCX_ROOT:=.}"
: "${DCX_BUILD:=$DCX_ROOT/build}"
T_N=0
T_FAIL=0
T_DIR=$(mktemp -d)
trap 'rm -rf "$T_DIR"' EXIT
OUT=$T_DIR/out
ERR=$T_DIR/err

t_report() { # t_report PASS NAME [DIAG]
    T_N=$((T_N + 1))
    if [ "$1" = 1 ]; then
        echo "ok $T_N - $2"
    else
        T_FAIL=$((T_FAIL + 1))
        echo "not ok $T_N - $2"
        [ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
    fi
    return 0
}

t_run() {
    want=$1
    shift
    "$@" >"$OUT" 2>"$ERR"
    got=$?
    if [ "$got" = "$want" ]; then
        t_report 1 "exit $want: $*"
    else
        t_report 0 "exit $want: $*" "got exit $got; stderr: $(head -c 400 "$ERR")"
    fi
}

t_has() {
    if grep -qF -- "$1" "$OUT"; then t_report 1 "$2"; else t_report 0 "$2" "stdout lacks: $1
$(head -c 600 "$OUT")"; fi
}

t_err() {
    if grep -qF -- "$1" "$ERR"; then t_report 1 "$2"; else t_report 0 "$2" "stderr lacks: $1
stderr: $(head -c 400 "$ERR")"; fi
}

t_lacks() { # stdout of the last t_run does not contain TEXT
    if grep -qF -- "$1" "$OUT"; then t_report 0 "$2" "stdout has: $1"; else t_report 1 "$2"; fi
}

t_err_lacks() { # stderr of the last t_run does not contain TEXT
    if grep -qF -- "$1" "$ERR"; then t_report 0 "$2" "stderr has: $1"; else t_report 1 "$2"; fi
}

t_same() {
    if cmp -s "$OUT" "$1"; then t_report 1 "$2"; else t_report 0 "$2" "$(diff "$1" "$OUT" | head -20)"; fi
}

t_ok() {
    if eval "$1" >/dev/null 2>&1; then t_report 1 "$2"; else t_report 0 "$2" "failed: $1"; fi
}

# same_numbers A.csv B.csv: two `dcx analyze --format csv` results agree, column by column
# (matched by name), within 1e-9 relative
same_numbers() {
    awk -F, -v cols="control_mean,treatment_mean,diff,diff_ci_lo,diff_ci_hi,lift,lift_ci_lo,lift_ci_hi,statistic,p_value" '
        FNR == 1 { for (i = 1; i <= NF; i++) idx[FILENAME, $i] = i; f[++nf] = FILENAME; next }
        FILENAME == f[1] { row[FNR] = $0; next }
        { split(row[FNR], a, ","); n = split(cols, c, ",")
          for (k = 1; k <= n; k++) { x = a[idx[f[1], c[k]]]; y = $(idx[FILENAME, c[k]])
            d = x - y; if (d < 0) d = -d; m = x < 0 ? -x : x
            if (x == "" || y == "" || d > 1e-9 * m + 1e-15) { print c[k], x, y; exit 1 } } }' "$1" "$2"
}

t_skip() {
    T_N=$((T_N + 1))
    echo "ok $T_N - $1 # SKIP $2"
}

# the Python that has openpyxl: Debian's, when a pyenv or venv python3 comes first on PATH
T_PY=
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import openpyxl' 2>/dev/null; then T_PY=$p; break; fi
done

# the Python that has jsonschema
T_PYJS=
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import jsonschema' 2>/dev/null; then T_PYJS=$p; break; fi
done

# t_pycheck PYTHON PACKAGE NAME SCRIPT ARGS...: a Python checker as one test (exit 0 pass,
# 77 skip, else fail with its output); skipped when no Python has the package
t_pycheck() {
    py=$1 pkg=$2 name=$3 checker=$4
    shift 4
    if [ -z "$py" ]; then
        t_skip "$name" "$pkg is not installed (Debian: python3-$pkg)"
        return 0
    fi
    msg=$("$py" "$DCX_ROOT/tests/cli/$checker" "$@" 2>&1)
    case $? in
    0) t_report 1 "$name ($msg)" ;;
    77) t_skip "$name" "$msg" ;;
    *) t_report 0 "$name" "$(printf '%s' "$msg" | head -20)" ;;
    esac
}

t_schema() {
    schema=$1 name=$2
    shift 2
    t_pycheck "$T_PYJS" jsonschema "$name" schema_check.py "$DCX_ROOT/docs/schema/$schema" "$@"
}

# t_json PYEXPR NAME: a Python expression over the JSON of the last t_run is true. In it, d is
# the document, dim(x, id) the dimension `id` of x (d, a group, ...), grp(name) a group of d,
# near(a, b) a number within 1e-9 relative of b.
T_PYANY=/usr/bin/python3
[ -x "$T_PYANY" ] || T_PYANY=python3
t_json() {
    if msg=$("$T_PYANY" - "$OUT" "$1" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def dim(x, i): return next(v for v in x["dimensions"] if v.get("id") == i)
def grp(n, x=None): return next(g for g in (x or d)["groups"] if g["group"] == n)
def near(a, b): return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(b))
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
    ); then t_report 1 "$2"; else t_report 0 "$2" "false: $1 $msg"; fi
}

t_xlsx() { t_pycheck "$T_PY" openpyxl "$3" xlsx_check.py "$1" "$2"; }

t_done() {
    echo "1..$T_N"
    [ "$T_FAIL" = 0 ]
}
