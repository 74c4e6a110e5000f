"""poststrat_check.py DCX: dcx analyze --post-stratify against the gbstats re-implementation of
tests/reference/gbstats_poststrat.tsv (its data: tests/reference/gbstats_poststrat.csv): per
case, metric (mean, binary, ratio), with and without CUPED (not for the ratio), overall and per segment level, the strata used, the
difference, its standard error (from diff_ci), p-value, lift, the lift's standard error (from
the delta lift_ci), Fieller's lift_ci (with the arms' covariance; 1e-8) and the relative
test's p-value, to 1e-9 relative. Prints the number of
values compared; exit 1 with the first mismatches."""
import json, os, subprocess, sys

dcx = sys.argv[1]
root = os.environ.get("DCX_ROOT", ".")
ref = os.path.join(root, "tests/reference")
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(ref, "gbstats_poststrat.tsv"))]
head, rows = rows[0], rows[1:]
Z = 1.959963984540054
bad, n = [], 0


def close(got, want, what, tol=1e-9):
    global n
    n += 1
    if got is None or abs(got - want) > tol * max(abs(want), 1e-3):
        bad.append(f"{what}: dcx {got}, reference {want}")


cache = {}
def run(case, metric, cuped, *extra):
    key = (case, metric, cuped, extra)
    if key not in cache:
        args = [dcx, "analyze", "--input", os.path.join(ref, "gbstats_poststrat.csv"), "--where", f"case={case}",
                "--metric", {"y": "y:mean", "conv": "conv:binary", "r": "r:ratio=y/den"}[metric],
                "--post-stratify", "stratum",
                "--format", "json", *(extra if "--lift-interval" in extra else ("--lift-interval", "delta") + extra)]
        if cuped:
            args += ["--cuped", f"{metric}=x"]
        if case == "1":
            args += ["--segment", "seg"]
        cache[key] = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)["results"]
    return cache[key]


def row(results, scope):
    seg, val = ("all", "all") if scope == "all" else ("seg", scope.split("=")[1])
    return next(r for r in results if r["segment"] == seg and r["segment_value"] == val)


for r in rows:
    v = dict(zip(head, r))
    what = f"case {v['case']} {v['metric']} cuped={v['cuped']} {v['scope']}"
    a = row(run(v["case"], v["metric"], v["cuped"] == "1"), v["scope"])
    n += 1
    if a["strata"] != int(v["strata"]):
        bad.append(f"{what} strata: dcx {a['strata']}, reference {v['strata']}")
    close(a["diff"], float(v["diff"]), what + " diff")
    close((a["diff_ci"][1] - a["diff_ci"][0]) / (2 * Z), float(v["se"]), what + " se")
    close(a["p_value"], float(v["p"]), what + " p_value")
    close(a["lift"], float(v["lift"]), what + " lift")
    close((a["lift_ci"][1] - a["lift_ci"][0]) / (2 * Z), float(v["lift_se"]), what + " lift se")
    fl = row(run(v["case"], v["metric"], v["cuped"] == "1", "--lift-interval", "fieller"), v["scope"])
    if fl["lift_ci"] is None:
        bad.append(f"{what} Fieller lift_ci: dcx null, reference {v['fieller_lo']} {v['fieller_hi']}")
    else:
        close(fl["lift_ci"][0], float(v["fieller_lo"]), what + " Fieller lift_ci lo", 1e-8)
        close(fl["lift_ci"][1], float(v["fieller_hi"]), what + " Fieller lift_ci hi", 1e-8)
    rel = row(run(v["case"], v["metric"], v["cuped"] == "1", "--difference", "relative"), v["scope"])
    close(rel["p_value"], float(v["p_rel"]), what + " relative p_value")
print(f"{n} values of {len(rows)} rows")
if bad:
    print("\n".join(bad[:12]))
    sys.exit(1)
