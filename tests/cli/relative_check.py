"""relative_check.py DCX DIR: dcx analyze --difference relative and --prior against the gbstats
re-implementation of tests/reference/gbstats_relative.tsv (relative 1e-8). Prints the number of
values compared; exit 1 with the first mismatches."""
import json, math, os, subprocess, sys

dcx, d = sys.argv[1], sys.argv[2]
root = os.environ.get("DCX_ROOT", ".")
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(root, "tests/reference/gbstats_relative.tsv"))]
head, rows = rows[0], rows[1:]
bad, n = [], 0

def close(got, want, what):
    global n
    n += 1
    if got is None or abs(got - want) > 1e-8 * max(1.0, abs(want)) and abs(got - want) > 1e-8 * abs(want) + 1e-12:
        bad.append(f"{what}: dcx {got}, gbstats {want}")

for i, r in enumerate(rows):
    v = dict(zip(head, map(float, r)))
    path = os.path.join(d, f"rel{i}.csv")
    with open(path, "w") as f:
        f.write("metric,type,segment,segment_value,variant,n,sum,sum_sq,sum2,sum2_sq,sum_cross\n")
        for arm, k in (("control", "a"), ("treatment", "b")):
            nn, m, var = v["n_" + k], v["mean_" + k], v["var_" + k]
            f.write(f"m,mean,all,all,{arm},{nn:.0f},{nn * m:.17g},{(nn - 1) * var + nn * m * m:.17g},,,\n")
    def run(*args):
        out = subprocess.run([dcx, "analyze", "--summary", path, "--metric", "m:mean", "--format", "json", *args],
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)["results"][0]
    f = run("--difference", "relative")
    close(f["statistic"], v["stat"], f"case {i} statistic")
    close(f["p_value"], v["p"], f"case {i} p_value")
    close(f["lift_ci"][0], v["ci_lo"], f"case {i} lift_ci lo")
    close(f["lift_ci"][1], v["ci_hi"], f"case {i} lift_ci hi")
    prior = [] if math.isnan(v["prior_mean"]) else ["--prior", f"m={v['prior_mean']!r},{v['prior_sd']!r}"]
    b = run("--method", "bayesian", *(prior or ["--difference", "relative"]))
    close(b["prob_beat_control"], v["ctw"], f"case {i} prob_beat_control")
    close(b["expected_loss"], v["risk"], f"case {i} expected_loss")
    close(b["credible_interval"][0], v["cr_lo"], f"case {i} credible_interval lo")
    close(b["credible_interval"][1], v["cr_hi"], f"case {i} credible_interval hi")
print(f"{n} values of {len(rows)} cases")
if bad:
    print("\n".join(bad[:10]))
    sys.exit(1)
