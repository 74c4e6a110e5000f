"""cuped_ratio_check.py DCX DIR: dcx analyze with a ratio metric's CUPED covariate pair against
the gbstats re-implementation of tests/reference/gbstats_cuped_ratio.tsv (relative 1e-9), from
the units (--input) and from their summary (dcx aggregate, then --summary). Prints the number of
values compared; exit 1 with the first mismatches."""
import json, os, subprocess, sys

dcx, d = sys.argv[1], sys.argv[2]
root = os.environ.get("DCX_ROOT", ".")
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(root, "tests/reference/gbstats_cuped_ratio.tsv"))]
head, rows = rows[0], rows[1:]
bad, n = [], 0


def close(got, want, what):
    global n
    n += 1
    if got is None or abs(got - want) > 1e-9 * max(abs(want), 1e-300) + 1e-13:
        bad.append(f"{what}: dcx {got}, gbstats {want}")


def run(*args):
    out = subprocess.run([dcx, *args], capture_output=True, text=True, check=True, cwd=root).stdout
    return out


docs = {}
for r in rows:
    v = dict(zip(head, r))
    cols = v["columns"].split(",")
    spec = ["--metric", f"{v['metric']}:ratio={cols[0]}/{cols[1]}", "--cuped", f"{v['metric']}={cols[2]}/{cols[3]}",
            "--segment", v["segment"], "--lift-interval", "delta"]
    if v["case"] not in docs:
        summary = os.path.join(d, v["case"] + ".csv")
        with open(summary, "w") as f:
            f.write(run("aggregate", "--input", v["data"], *spec[:6]))
        docs[v["case"]] = {
            "--input": json.loads(run("analyze", "--input", v["data"], *spec, "--format", "json")),
            "--summary": json.loads(run("analyze", "--summary", summary, *spec, "--format", "json")),
        }
    for how, doc in docs[v["case"]].items():
        got = [x for x in doc["results"] if x["segment_value"] == v["segment_value"] and x["variant"] == v["variant"]]
        what = f"{v['case']} {v['segment_value']} {v['variant']} ({how})"
        if len(got) != 1:
            bad.append(f"{what}: no row")
            continue
        g = got[0]
        want = {k: float(v[k]) for k in head[7:]}
        for key, val in (("theta", g["theta"]), ("control mean", g["control"]["mean"]),
                         ("treatment mean", g["treatment"]["mean"]), ("control sd", g["control"]["sd"]),
                         ("treatment sd", g["treatment"]["sd"]), ("diff", g["diff"]),
                         ("statistic", g["statistic"]), ("p_value", g["p_value"]),
                         ("variance_reduction", g["variance_reduction"]), ("lift", g["lift"])):
            ref = {"control mean": "mean_c", "treatment mean": "mean_t", "control sd": "sd_c", "treatment sd": "sd_t",
                   "statistic": "stat", "p_value": "p", "variance_reduction": "vr"}.get(key, key)
            close(val, want[ref], f"{what} {key}")
        close(g["diff_ci"][0], want["ci_lo"], f"{what} diff_ci lo")
        close(g["diff_ci"][1], want["ci_hi"], f"{what} diff_ci hi")
        close(g["lift_ci"][0], want["lift_lo"], f"{what} lift_ci lo")
        close(g["lift_ci"][1], want["lift_hi"], f"{what} lift_ci hi")
        close(g["control"]["n"], want["n_c"], f"{what} control n")
        close(g["treatment"]["n"], want["n_t"], f"{what} treatment n")
print(f"{n} values of {len(rows)} comparisons, from units and from summaries")
if bad:
    print("\n".join(bad[:10]))
    sys.exit(1)
