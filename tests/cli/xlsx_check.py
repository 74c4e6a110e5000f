#!/usr/bin/python3
"""xlsx_check.py RESULT.json BOOK.xlsx — checks a dcx workbook against the JSON of the same
result, cell by cell.

It rebuilds, from the JSON alone and by the rules docs/formats.md states for the Excel
view, what every sheet must hold (which sheets, and per row every field's value), then
reads the workbook with openpyxl and requires: the same sheets in the same order, a bold
frozen header row on every table, every expected cell present with the same value
(numbers to 1e-13 relative: the JSON carries 15 significant digits, the workbook the whole
double), every other cell empty, numbers stored as numbers with the number format of
their column, and for a maturity result the radar chart with its series.

Exit 0 and "ok: N cells" when all holds; 1 with the differences otherwise; 77 when
openpyxl is missing (the caller skips).
"""
import json
import math
import sys

try:
    import openpyxl
except ImportError:
    print("openpyxl is not installed (Debian: python3-openpyxl)")
    sys.exit(77)


def num_text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v == int(v) and abs(v) < 2**53:
        return "%d" % v
    return "%.15g" % v


def is_interval(v):
    return (isinstance(v, list) and len(v) == 2
            and all(x is None or (isinstance(x, (int, float)) and not isinstance(x, bool))
                    for x in v))


def flatten(v, prefix=""):
    """[(column, value)] of one row, by the view's rules."""
    out = []
    if isinstance(v, dict):
        for k, x in v.items():
            out += flatten(x, prefix + "_" + k if prefix else k)
    elif isinstance(v, list):
        if is_interval(v):
            out += [(prefix + "_lo", v[0]), (prefix + "_hi", v[1])]
        elif any(isinstance(x, (dict, list)) for x in v):
            pass
        else:  # a list of sentences (a decision's reasons) one per line
            sep = "\n" if prefix.split("_")[-1] in ("reasons",) else "; "
            out.append((prefix, sep.join(
                x if isinstance(x, str) else "null" if x is None else num_text(x) for x in v)))
    else:
        out.append((prefix, v))
    return out


def summary(doc):
    """The stakeholder sheet: per overall row, by role (goal, guardrail, secondary), the
    treatment's decision, the metric's label, values in the row's own format (a rate as a
    percentage), a guardrail's p its non-inferiority test and the verdict in words.
    Entries are (column, value, number format)."""
    bayes = doc.get("method") == "bayesian"
    pcol = "chance to be better" if bayes else "p"
    decided = {d["variant"]: d["decision"] for d in doc.get("decisions", [])}
    rank = lambda r: {"goal": 0, "guardrail": 1}.get(r.get("role"), 2)
    rows = []
    for want in range(3):
        for r in doc["results"]:
            if r["segment"] != "all" or rank(r) != want:
                continue
            label = r["metric"]
            if r["type"] == "quantile" and r.get("quantile") is not None:
                label += " (p%.10g)" % (100 * r["quantile"])
            f = "0.00%" if r["type"] == "binary" and r.get("theta") is None else "General"
            field = "quantile" if r["type"] == "quantile" else "mean"
            dci = r.get("credible_interval" if bayes else "diff_ci") or [None, None]
            lci = r.get("lift_ci") or [None, None]
            if want == 1:
                verdict = "holds" if r.get("non_inferior") else "not shown to hold"
                pv = r.get("ni_probability" if bayes else "ni_p_value")
            else:
                sign = -1 if r.get("direction") == "decrease" else 1
                verdict = ("not significant" if not r.get("significant") else
                           "significantly better" if sign * r["diff"] > 0 else "significantly worse")
                pv = r.get("prob_beat_control" if bayes else "p_value")
            rows.append([("variant", r["variant"], None),
                         ("decision", decided.get(r["variant"], "no decision (no goal metric)"), None),
                         ("metric", label, None), ("role", r["role"], None),
                         ("control", r["control"].get(field), f), ("treatment", r["treatment"].get(field), f),
                         ("change", r["diff"], f), ("change low", dci[0], f), ("change high", dci[1], f),
                         ("lift", r["lift"], "0.00%"), ("lift low", lci[0], "0.00%"),
                         ("lift high", lci[1], "0.00%"),
                         (pcol, pv, "0.00%" if bayes else "0.0000"), ("verdict", verdict, None)])
    return rows


def expected(doc):
    """[(sheet, [row, ...])] with each row a list of (column, value)."""
    sheets = []
    maturity = isinstance(doc.get("dimensions"), list) and isinstance(doc.get("overall"), dict)
    compare = maturity and "before" in doc["overall"]
    analysis = isinstance(doc.get("results"), list)
    if maturity:
        skip = {"overall", "dimensions", "groups", "priority_order", "warnings"}
        rows = [[("id", "overall"), ("name", "Overall")] + flatten(doc["overall"])]
        rows += [flatten(d) for d in doc["dimensions"]]
        sheets.append(("scores", rows))
        if not compare:
            keep = ["id", "name", "priority", "gap", "score", "target", "level", "level_name",
                    "recommendation"]
            by_id = {d["id"]: d for d in doc["dimensions"]}
            rows = []
            for rank, i in enumerate(doc.get("priority_order", []), 1):
                d = by_id[i]
                row = [("rank", rank)]
                for k in keep:
                    if k in d:
                        row += flatten(d[k], k)
                rows.append(row)
            if rows:
                sheets.append(("priorities", rows))
        rows = []
        for g in doc.get("groups", []):
            pre = [p for k, x in g.items() if not isinstance(x, (dict, list)) for p in flatten(x, k)]
            rows.append(pre + [("id", "overall"), ("name", "Overall")] + flatten(g["overall"]))
            rows += [pre + flatten(d) for d in g["dimensions"]]
        if rows:
            sheets.append(("groups", rows))
    elif analysis:
        skip = {"decisions", "results", "srm", "srm_segments", "warnings"}
        sheets.append(("summary", summary(doc)))
        if doc.get("decisions"):
            sheets.append(("decisions", [flatten(d) for d in doc["decisions"]]))
        else:  # no goal metric: the sheet says how to get a decision
            sheets.append(("decisions", [[("decision", "no decision: name the goal metric(s) with --goal")]]))
        sheets.append(("results", [flatten(r) for r in doc["results"]]))
        rows = []
        if isinstance(doc.get("srm"), dict):
            rows.append([("segment", "all"), ("segment_value", "all")] + flatten(doc["srm"]))
        rows += [flatten(s) for s in doc.get("srm_segments", [])]
        if rows:
            sheets.append(("srm", rows))
    else:
        skip = {"warnings"}
    for k, v in doc.items():
        if k in skip or not isinstance(v, list) or not v or not isinstance(v[0], dict):
            continue
        sheets.append((k[:31], [flatten(r) for r in v]))
    sheets.append(("warnings", [[("warning", w)] for w in doc.get("warnings", [])]))
    about = []

    def walk(name, v):
        if isinstance(v, dict):
            for k, x in v.items():
                walk(name + "." + k, x)
        elif is_interval(v):
            about.append([("field", name), ("value", "[" + ", ".join(
                "null" if x is None else num_text(x) for x in v) + "]")])
        else:
            about.append([("field", name)] + [("value", x) for _, x in flatten(v, "value")])

    for k, v in doc.items():
        if k in skip or (isinstance(v, list) and v and isinstance(v[0], dict)):
            continue
        walk(k, v)
    sheets.append(("about", about))
    return sheets, maturity, compare


def number_format(col):
    """The number format the view gives a column (see docs/formats.md)."""
    base = col
    for pre in ("control_", "treatment_", "cap_", "counts_", "expected_"):
        if base.startswith(pre):
            base = base[len(pre):]
    if base.endswith("_lo") or base.endswith("_hi"):
        base = base[:-3]
    if base.endswith("p_value") or base == "p_adjusted":
        return "0.0000"
    if (base.startswith("lift") or base in ("percent_to_target", "progress", "coverage",
                                            "prob_beat_control", "variance_reduction",
                                            "risk_relative", "ni_probability")):
        return "0.00%"
    if base in ("rwg", "priority", "alpha"):
        return "0.000"
    if base in ("score", "before", "after", "delta", "target", "gap", "index", "sd", "ci"):
        return "0.00"
    if (base in ("n", "missing", "rank", "df") or base.startswith("respondents")
            or col.startswith("counts_") or base.startswith("level")):
        return "0"
    return "General"


def cell_text(s):
    """Text as the workbook holds it: characters XML cannot carry become U+FFFD, and a text
    longer than 32,000 characters is cut there and ends in an ellipsis."""
    s = "".join("\ufffd" if (ord(c) < 32 and c not in "\t\n\r") or c in "\ufffe\uffff" else c
                for c in s)
    return s[:32000] + "\u2026" if len(s) > 32000 else s


def same(want, got):
    if want is None or want == "":
        return got is None or got == ""
    if isinstance(want, bool):
        return got is want
    if isinstance(want, (int, float)):
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return False
        return math.isclose(want, got, rel_tol=1e-13, abs_tol=1e-300)
    return cell_text(want) == got


def main():
    doc = json.load(open(sys.argv[1]))
    wb = openpyxl.load_workbook(sys.argv[2])
    sheets, maturity, compare = expected(doc)
    problems = []
    names = [s for s, _ in sheets] + (["radar"] if maturity and doc["dimensions"] else [])
    if wb.sheetnames != names:
        problems.append("sheets %s, expected %s" % (wb.sheetnames, names))
    cells = 0
    for name, rows in sheets:
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        if ws.freeze_panes != "A2":
            problems.append("%s: header row not frozen (%s)" % (name, ws.freeze_panes))
        header = [c.value for c in ws[1]]
        if not all(c.font.b for c in ws[1]):
            problems.append("%s: header not bold" % name)
        if len(set(header)) != len(header):
            problems.append("%s: repeated column names %s" % (name, header))
        cols = {h: i for i, h in enumerate(header)}
        fmts = [{e[0]: e[2] for e in row if len(e) == 3} for row in rows]
        rows = [[e[:2] for e in row] for row in rows]
        for r, row in enumerate(rows):
            for col, _ in row:
                if col not in cols:
                    problems.append("%s: no column %r" % (name, col))
        if ws.max_row != len(rows) + 1 and not (ws.max_row == 1 and not rows):
            problems.append("%s: %d rows, expected %d" % (name, ws.max_row - 1, len(rows)))
        for r, row in enumerate(rows):
            want = dict(row)
            got = [c for c in ws[r + 2]] if r + 2 <= ws.max_row else []
            for h, i in cols.items():
                cell = got[i] if i < len(got) else None
                value = cell.value if cell is not None else None
                cells += 1
                if h not in want:
                    if value not in (None, ""):
                        problems.append("%s row %d %s: %r, expected an empty cell"
                                        % (name, r + 2, h, value))
                    continue
                if not same(want[h], value):
                    problems.append("%s row %d %s: %r, expected %r" % (name, r + 2, h, value, want[h]))
                elif (isinstance(want[h], (int, float)) and not isinstance(want[h], bool)
                      and name != "about"
                      and cell.number_format != (fmts[r].get(h) or number_format(h))):
                    problems.append("%s row %d %s: number format %r, expected %r"
                                    % (name, r + 2, h, cell.number_format,
                                       fmts[r].get(h) or number_format(h)))
    if maturity and doc["dimensions"] and "radar" in wb.sheetnames:
        charts = wb["radar"]._charts
        dims = doc["dimensions"]
        has = lambda k: any(isinstance(d.get(k), (int, float)) and not isinstance(d.get(k), bool)
                            for d in dims)
        if compare:
            want = int(has("before")) + int(has("after")) + int(has("target"))
        else:
            want = int(has("score")) + int(has("target")) + len(doc.get("groups", []))
        if len(charts) != 1:
            problems.append("radar: %d charts" % len(charts))
        elif charts[0].tagname != "radarChart" or len(charts[0].series) != want:
            problems.append("radar: %s with %d series, expected a radar chart with %d"
                            % (charts[0].tagname, len(charts[0].series), want))
    if problems:
        print("\n".join(problems[:40]))
        if len(problems) > 40:
            print("... and %d more" % (len(problems) - 40))
        sys.exit(1)
    print("ok: %d cells in %d sheets" % (cells, len(sheets)))


main()
