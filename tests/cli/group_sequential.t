#!/bin/sh
# dcx analyze --method group-sequential: the design's boundaries are the published ones
# (Jennison and Turnbull; K = 5 equal looks, one-sided alpha 0.025 per side), unequal looks
# take the timeline's actual information fractions, a row's boundary_crossed_at is the first
# look at which the estimate passed the boundary, and its p-value (the repeated p-value) is
# below alpha exactly then.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
PY=python3

# units per day per arm: "n1 n2 ..."; control converts 10% of the time, treatment at rate R%
gen() { # gen FILE "N1 N2 ..." RATE_T
    awk -v ns="$2" -v rt="$3" 'BEGIN {
        print "user_id,variant,day,converted";
        k = split(ns, n, " "); id = 0;
        for (d = 1; d <= k; d++)
            for (i = 0; i < n[d]; i++) {
                id++;
                printf "c%d,control,2026-03-%02d,%d\n", id, d, (id * 37) % 100 < 10;
                printf "t%d,treatment,2026-03-%02d,%d\n", id, d, (id * 37) % 100 < rt;
            }
    }' >"$1"
}
gen "$D/eq.csv" "400 400 400 400 400" 13
gen "$D/aa.csv" "400 400 400 400 400" 10

# json FILE EXPR: the Python expression, with d the document, is true
json() { "$PY" -c "import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }

t_run 0 "$DCX" analyze --input "$D/eq.csv" --metric converted:binary --time-column day --method group-sequential --looks 5 --format json
cp "$OUT" "$D/eq.json"
t_ok "json '$D/eq.json' 'd[\"group_sequential\"][\"information\"] == [0.2, 0.4, 0.6, 0.8, 1]'" "equal looks: information 0.2, 0.4, ..., 1"
t_ok "json '$D/eq.json' 'all(abs(b - w) < 6e-4 for b, w in zip(d[\"group_sequential\"][\"boundaries\"], [4.877, 3.357, 2.680, 2.290, 2.031]))'" "O'Brien-Fleming boundaries as published: 4.877, 3.357, 2.680, 2.290, 2.031"
t_ok "json '$D/eq.json' 'd[\"group_sequential\"][\"looks\"] == 5 and d[\"group_sequential\"][\"spending\"] == \"obrien-fleming\"'" "the design is in the result"
# the first look at which |diff| reached the boundary (in difference units) is the one reported
cat >"$D/cross.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = d["results"][0]
first = None
for k, e in enumerate(d["timeline"]):
    b = e["boundary"]
    if b and b[1] is not None and abs(e["diff"]) >= b[1] and first is None:
        first = k + 1
ps = [e["p_value"] for e in d["timeline"]]
ok = r["boundary_crossed_at"] == first
ok = ok and all(ps[i] >= ps[i + 1] for i in range(len(ps) - 1))            # running
ok = ok and all((p < d["alpha"]) == (first is not None and k + 1 >= first) for k, p in enumerate(ps))
ok = ok and (r["p_value"] < d["alpha"]) == (first is not None) and r["significant"] == (first is not None)
want = sys.argv[2]
ok = ok and (first is not None) == (want == "crossed")
print(first, ps)
sys.exit(0 if ok else 1)
PY
t_ok "$PY '$D/cross.py' '$D/eq.json' crossed" "planted effect: boundary_crossed_at is the first look past the boundary, p below alpha from then on"
t_ok "json '$D/eq.json' 'd[\"results\"][0][\"boundary_crossed_at\"] > 1'" "and not the first look (4.877 is far)"
t_run 0 "$DCX" analyze --input "$D/aa.csv" --metric converted:binary --time-column day --method group-sequential --looks 5 --format json
cp "$OUT" "$D/aa.json"
t_ok "$PY '$D/cross.py' '$D/aa.json' none" "no effect: no crossing, p above alpha at every look"
t_ok "json '$D/aa.json' 'd[\"results\"][0][\"boundary_crossed_at\"] is None and not d[\"results\"][0][\"significant\"]'" "boundary_crossed_at null"

t_run 0 "$DCX" analyze --input "$D/eq.csv" --metric converted:binary --time-column day --method group-sequential --looks 5 --spending pocock --format json
t_ok "json '$OUT' 'all(abs(b - w) < 6e-4 for b, w in zip(d[\"group_sequential\"][\"boundaries\"], [2.438, 2.427, 2.410, 2.397, 2.386]))'" "Pocock-type boundaries as published: 2.438, 2.427, 2.410, 2.397, 2.386"

# unequal looks: 300, 250, 450 units a day -> information 0.3, 0.55, 1 (one-sided alpha 0.05:
# tests/reference/group_sequential.tsv, scipy's multivariate normal)
gen "$D/uneq.csv" "300 250 450" 13
t_run 0 "$DCX" analyze --input "$D/uneq.csv" --metric converted:binary --time-column day --method group-sequential --looks 3 --one-sided --format json
t_ok "json '$OUT' 'd[\"group_sequential\"][\"information\"] == [0.3, 0.55, 1]'" "unequal looks: information from the units"
t_ok "json '$OUT' 'all(abs(b - w) < 1e-4 for b, w in zip(d[\"group_sequential\"][\"boundaries\"], [3.392951, 2.404161, 1.670280]))'" "unequal looks: boundaries equal the reference"
t_ok "json '$OUT' 'd[\"results\"][0][\"diff_ci\"][1] is None and d[\"timeline\"][0][\"boundary\"][0] is None'" "one-sided (increase): the interval is open above, the boundary is drawn above only"

# three looks taken of five planned: the first three boundaries of the five-look design
gen "$D/part.csv" "400 400 400" 13
t_run 0 "$DCX" analyze --input "$D/part.csv" --metric converted:binary --time-column day --method group-sequential --looks 5 --format json
t_ok "json '$OUT' 'd[\"group_sequential\"][\"information\"] == [0.2, 0.4, 0.6] and all(abs(b - w) < 6e-4 for b, w in zip(d[\"group_sequential\"][\"boundaries\"], [4.877, 3.357, 2.680]))'" "looks still to come: fractions of the planned total, the design's first boundaries"

t_run 0 "$DCX" analyze --input "$D/eq.csv" --metric converted:binary --time-column day --method group-sequential --looks 5 --format table
t_has "group-sequential: 5 planned looks, obrien-fleming spending; 5 taken" "table: the design"
t_has "4.877 (0.20)" "table: each look's boundary and information"

# the timeline plot draws the boundaries: two dashed paths per variant (one for each side)
if command -v gnuplot >/dev/null 2>&1; then
    t_run 0 "$DCX" plot timeline --input "$D/eq.json" --output "$D/tl.svg"
    t_ok "grep -q '<text>boundary</text>' '$D/tl.svg'" "timeline plot: the boundaries are in the key"
    t_ok "[ \$(grep -c '<g id=\"gnuplot_plot_[0-9]*a\" >' '$D/tl.svg') -ge 4 ]" "timeline plot: interval, estimate and both boundaries drawn"
    t_ok "grep -q 'efficacy boundaries' '$D/tl.svg'" "timeline plot: the title says what the dashes are"
    "$DCX" analyze --input "$D/eq.csv" --metric converted:binary --time-column day --format json >"$D/fix.json"
    t_run 0 "$DCX" plot timeline --input "$D/fix.json" --output "$D/fix.svg"
    t_ok "! grep -q '<text>boundary</text>' '$D/fix.svg'" "a fixed-horizon timeline has no boundaries"
else
    t_skip "timeline plot of a group-sequential result" "gnuplot is not installed"
fi

t_run 0 "$DCX" report --input "$D/eq.json" --output "$D/r.md"
t_ok "grep -q 'a design of 5 planned looks spending alpha by the Lan-DeMets O.Brien-Fleming-type function' '$D/r.md'" "report: the method section describes the design"

t_run 2 "$DCX" analyze --input "$D/eq.csv" --metric converted:binary --method group-sequential --looks 5
t_err "needs --time-column" "without a timeline: usage error"
t_run 2 "$DCX" analyze --input "$D/eq.csv" --metric converted:binary --time-column day --method group-sequential
t_err "needs --looks K" "without --looks: usage error"
t_run 2 "$DCX" analyze --input "$D/eq.csv" --metric converted:binary --time-column day --looks 5
t_err "--looks goes with --method group-sequential" "--looks alone: usage error"
# more periods than planned looks: Lan-DeMets spends by information, so each period is a
# look and the last holds all of it; five equal periods give the published five-look table
t_run 0 "$DCX" analyze --input "$D/eq.csv" --metric converted:binary --time-column day --method group-sequential --looks 4 --format json
t_err "more than the 4 planned looks: each period is taken as a look" "more periods than planned looks: said, not refused"
t_ok "python3 -c \"import json,sys; g=json.load(open('$OUT'))['group_sequential']; b=g['boundaries']; sys.exit(0 if g['looks'] == 4 and len(b) == 5 and g['information'][-1] == 1 and all(abs(x-y) < 6e-4 for x, y in zip(b, [4.877, 3.357, 2.680, 2.290, 2.031])) else 1)\"" \
    "five equal periods under a four-look plan: the five-look O'Brien-Fleming boundaries, the last at full information"
t_done
