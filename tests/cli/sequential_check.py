"""sequential_check.py DCX DIR: dcx analyze --method sequential --one-sided against the gbstats
re-implementation of tests/reference/gbstats_sequential.tsv (relative 1e-8): the one-sided
bound of diff_ci and the p-value. Prints the number of values compared."""
import json, os, subprocess, sys

dcx, d = sys.argv[1], sys.argv[2]
root = os.environ.get("DCX_ROOT", ".")
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(root, "tests/reference/gbstats_sequential.tsv"))]
head, rows = rows[0], rows[1:]
bad, n = [], 0
for i, r in enumerate(rows):
    v = dict(zip(head, map(float, r)))
    path = os.path.join(d, f"seq{i}.csv")
    with open(path, "w") as f:
        f.write("metric,type,segment,segment_value,variant,n,sum,sum_sq,sum2,sum2_sq,sum_cross\n")
        for arm, k in (("control", "a"), ("treatment", "b")):
            nn, m, var = v["n_" + k], v["mean_" + k], v["var_" + k]
            f.write(f"m,mean,all,all,{arm},{nn:.0f},{nn * m:.17g},{(nn - 1) * var + nn * m * m:.17g},,,\n")
    up = v["dir"] > 0
    out = subprocess.run([dcx, "analyze", "--summary", path, "--metric", "m:mean", "--method", "sequential",
                          "--one-sided", "--direction", "m=" + ("increase" if up else "decrease"),
                          "--format", "json"], capture_output=True, text=True, check=True).stdout
    res = json.loads(out)["results"][0]
    ci = res["diff_ci"]
    for what, got, want in (("bound", ci[0] if up else ci[1], v["bound"]), ("p", res["p_value"], v["p"])):
        n += 1
        if got is None or abs(got - want) > 1e-8 * max(abs(want), 1e-300):
            bad.append(f"case {i} {what}: dcx {got}, gbstats {want}")
    n += 1
    if (ci[1] if up else ci[0]) is not None:
        bad.append(f"case {i}: the interval is not open on the other side")
print(f"{n} values of {len(rows)} cases")
if bad:
    print("\n".join(bad))
    sys.exit(1)
