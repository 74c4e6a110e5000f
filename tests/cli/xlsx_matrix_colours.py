"""xlsx_matrix_colours.py WORKBOOK.xlsx RESULT.json: the matrix sheet colours each score column
so that blue means better: from vermillion (D55E00) at the scale's minimum to blue (0072B2) at
its maximum, reversed in the column of a dimension where lower is better. Exit 0 pass, 1 fail."""
import json
import sys

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter

wb = openpyxl.load_workbook(sys.argv[1])
doc = json.load(open(sys.argv[2], encoding="utf-8"))
ws = wb["matrix"]
head = [c.value for c in ws[1]]
rules = {}
for cf in ws.conditional_formatting:
    for rule in cf.rules:
        for rng in str(cf.sqref).split():
            ends = [column_index_from_string(e.rstrip("0123456789")) for e in rng.split(":")]
            for c in range(ends[0], ends[-1] + 1):
                rules[get_column_letter(c)] = rule
lower = {d["id"] for d in doc["dimensions"] if d.get("direction") == "lower"}
checked = []
for name in ["overall"] + [d["id"] for d in doc["dimensions"]]:
    col = get_column_letter(head.index(name) + 1)
    rule = rules.get(col)
    if rule is None or rule.type != "colorScale":
        sys.exit(f"column {name} ({col}) has no colour scale")
    cs = rule.colorScale
    lo, hi = cs.color[0].rgb[-6:].upper(), cs.color[-1].rgb[-6:].upper()
    want = ("0072B2", "D55E00") if name in lower else ("D55E00", "0072B2")
    if (lo, hi) != want or [v.val for v in cs.cfvo] != [doc["assessment"]["scale"]["min"],
                                                       (doc["assessment"]["scale"]["min"] + doc["assessment"]["scale"]["max"]) / 2,
                                                       doc["assessment"]["scale"]["max"]]:
        sys.exit(f"column {name}: colours {lo} -> {hi}, thresholds {[v.val for v in cs.cfvo]}; want {want}")
    checked.append(name + (" (lower is better: blue low)" if name in lower else ""))
if not lower:
    sys.exit("the result has no lower-is-better dimension: nothing reversed to check")
print("; ".join(checked))
