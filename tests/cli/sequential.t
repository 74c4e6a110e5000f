#!/bin/sh
# --method sequential --one-sided: the one-sided mSPRT confidence sequence, equal to the gbstats
# re-implementation in tests/reference/gbstats_sequential.py; with a timeline its bound is the
# running intersection over the looks and agrees with the running p-value.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
CK=$DCX_ROOT/examples/checkout_test.csv

t_ok "python3 '$DCX_ROOT/tests/cli/sequential_check.py' '$DCX' '$D' >'$D/sc.out' 2>&1 || { cat '$D/sc.out' >&2; false; }" \
    "one-sided sequential bound and p-value equal gbstats' (greater and lesser, 6 cases, 1e-8)"

t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean --method sequential --one-sided --time-column day --format json
cp "$OUT" "$D/os.json"
cat >"$D/agree.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ok = True
for r in d["results"]:
    lo, hi = r["diff_ci"]
    ok &= hi is None and lo is not None                      # increase: a lower bound only
    ok &= (r["p_value"] < d["alpha"]) == (lo > 0)
    ok &= "one-sided: p-value and intervals test an increase" in r.get("note", "")
ps = {}
for e in d["timeline"]:
    ps.setdefault(e["metric"], []).append((e["p_value"], e["diff_ci"][0]))
for m, seq in ps.items():
    ok &= all(a[0] >= b[0] for a, b in zip(seq, seq[1:]))   # the running minimum
    ok &= all(a[1] <= b[1] for a, b in zip(seq, seq[1:]))   # the running intersection
    ok &= all((p < d["alpha"]) == (lo > 0) for p, lo in seq)
sys.exit(0 if ok else 1)
PY
t_ok "python3 '$D/agree.py' '$D/os.json'" "one-sided sequential with a timeline: bound and p-value are running, and agree at every look"
"$DCX" analyze --input "$CK" --metric converted:binary --method sequential --format json >"$D/two.json"
t_ok "python3 -c 'import json,sys; o=json.load(open(sys.argv[1]))[\"results\"][0]; t=json.load(open(sys.argv[2]))[\"results\"][0]; sys.exit(0 if o[\"diff_ci\"][0] > t[\"diff_ci\"][0] else 1)' '$D/os.json' '$D/two.json'" \
    "the one-sided bound is tighter than the two-sided sequence's lower end"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --method bayesian --one-sided
t_err "--one-sided goes with --method frequentist, sequential or group-sequential" "bayesian and --one-sided: usage error"
t_done
