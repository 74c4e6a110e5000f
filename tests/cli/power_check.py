"""power_check.py DCX: dcx power --sequential --current-n against the gbstats mid-experiment power
re-implementation of tests/reference/gbstats_power.tsv: power_now and the exact n (1e-8
relative), the power at twice the units (1e-8), and additional_n_per_variant = the rounded-up n
minus the current n."""
import json, math, os, subprocess, sys

dcx = sys.argv[1]
root = os.environ.get("DCX_ROOT", ".")
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(root, "tests/reference/gbstats_power.tsv"))]
head, rows = rows[0], rows[1:]
bad, n = [], 0
def close(got, want, what):
    global n
    n += 1
    if got is None or abs(got - want) > 1e-8 * abs(want):
        bad.append(f"{what}: dcx {got}, gbstats {want}")
def run(*a):
    return json.loads(subprocess.run([dcx, "power", "--format", "json", *a], capture_output=True, text=True, check=True).stdout)
for r in rows:
    v = dict(zip(head, r))
    design = ["--baseline", v["param"]] if v["kind"] == "binary" else ["--mean", "100", "--sd", v["param"]]
    common = design + ["--sequential", "--tuning", v["tuning"]]
    d = run(*common, "--mde", v["mde"], "--current-n", v["n"])
    close(d["power_now"], float(v["power_now"]), f"{v} power_now")
    close(d["n_control_exact"], float(v["n_needed"]), f"{v} n")
    n += 1
    if d["additional_n_per_variant"] != math.ceil(float(v["n_needed"])) - int(v["n"]):
        bad.append(f"{v} additional_n_per_variant {d['additional_n_per_variant']}")
    p = run(*common, "--mde", v["mde"], "--n", str(2 * int(v["n"])))
    close(p["power"], float(v["power_double"]), f"{v} power at 2n")
print(f"{n} values of {len(rows)} cases")
if bad:
    print("\n".join(bad))
    sys.exit(1)
