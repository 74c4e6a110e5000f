#!/bin/sh
# The analysis table as a person reads it: the decision first, then the overall rows by role
# (goal, guardrail, secondary), then only the segment levels that are flagged (--rows), with
# p-values never 0, no "-0.00%", quantiles labelled, CUPED named and a guardrail's p its
# non-inferiority test.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
CK=$DCX_ROOT/examples/checkout_test.csv
CG=$DCX_ROOT/examples/checkout_guardrails.csv

line_of() { grep -n -F -- "$1" "$OUT" | head -1 | cut -d: -f1; }
before() { # before A B NAME: text A comes before text B in stdout
    a=$(line_of "$1"); b=$(line_of "$2")
    t_ok "[ -n '$a' ] && [ -n '$b' ] && [ '$a' -lt '$b' ]" "$3"
}

# A product team's test: conversion decides, revenue and p90 load time are guardrails,
# aov (revenue per order) is secondary (stated last on the command line, shown last).
t_run 0 "$DCX" analyze --input "$CG" --metric aov:ratio=revenue/converted --metric load_ms:quantile=0.9 \
    --metric revenue:mean --metric converted:binary --goal converted --guardrail revenue=2% \
    --guardrail load_ms=50 --direction revenue=increase --direction load_ms=decrease --cap revenue=p99 --format table
before "decision:" "overall results:" "the decision comes before the rows"
before "express: ship" "metric         role       variant" "the verdict is read before any table (its header row; a warning may name a metric before it)"
before "converted      goal" "revenue        guardrail" "goal rows before guardrails"
before "load_ms (p90)  guardrail" "aov            secondary" "guardrails before secondary rows"
t_has "load_ms (p90)" "a quantile metric is labelled with its quantile"
t_lacks "load_ms   " "the quantile metric is never labelled as its bare column"
t_ok "grep '^revenue *guardrail *express' '$OUT' | grep -q 'NI 0.0159 .* holds\$'" \
    "a guardrail's p is its non-inferiority test (0.0159, as the decision says), marked holds"
t_ok "! grep '^revenue *guardrail *express' '$OUT' | grep -q '0.0566'" \
    "the guardrail row does not show the superiority p-value that decides nothing"
t_ok "grep '^load_ms (p90) *guardrail *rich' '$OUT' | grep -qv 'holds'" \
    "a guardrail that fails is not marked holds"

# segment levels: flagged by default (converted's effect differs across device, Q p 0.0498)
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean \
    --segment device --goal converted --format table
t_has "converted  device=mobile" "a level of a column whose effect differs is listed"
t_has "converted  device=tablet" "every level of that column is listed with it"
t_lacks "revenue    device=" "revenue's levels (no SRM, Q p 0.31) are left out"
t_has "3 segment rows not shown" "the rows left out are counted"
before "overall results:" "segment levels flagged" "overall rows before segment levels"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean \
    --segment device --goal converted --format table --rows all
t_ok "[ \$(grep -c 'device=' '$OUT') = 6 ]" "--rows all lists every level (3 levels x 2 metrics)"
t_lacks "not shown" "--rows all leaves nothing out"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean \
    --segment device --goal converted --format table --rows overall
t_ok "! grep -q '^[a-z]*  *device=' '$OUT'" "--rows overall lists no level"
t_has "6 segment rows not shown" "and says how many it left out"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --segment device --format json --rows overall
t_has '"segment_value": "mobile"' "the JSON holds every row whatever --rows says"
t_has '"rows": "overall"' "and records the setting"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --rows some
t_err "flagged" "--rows takes flagged, overall or all"

# a segment level whose split is off is listed
awk 'BEGIN { print "user_id,variant,country,converted"; srand(3);
  for (i = 0; i < 4000; i++) { c = i % 2 ? "US" : "DE"; v = rand() < 0.5 ? "control" : "treatment";
    if (c == "DE" && v == "control" && rand() < 0.3) v = "treatment";
    printf "u%d,%s,%s,%d\n", i, v, c, rand() < 0.1 }
  for (i = 4000; i < 4400; i++) printf "u%d,%s,DE,%d\n", i, i % 2 ? "control" : "treatment", rand() < 0.1 }' >"$D/srm.csv"
t_run 0 "$DCX" analyze --input "$D/srm.csv" --metric converted:binary --segment country --format table
t_has "converted  country=DE" "a level whose split is off is listed"
t_lacks "country=US" "a healthy level is not"

# p-values never 0, differences never -0.00%
awk 'BEGIN { print "user_id,variant,converted,flat";
  for (i = 0; i < 2000; i++) printf "c%d,control,%d,%d\n", i, i % 10 == 0, i < 1000
  for (i = 0; i < 2000; i++) printf "t%d,treatment,%d,%d\n", i, i % 10 != 0, i < 1000 }' >"$D/big.csv"
t_run 0 "$DCX" analyze --input "$D/big.csv" --metric converted:binary --metric flat:binary --format table
t_ok "grep '^converted' '$OUT' | grep -q '< 0.0001'" "a p-value far below 1e-4 reads < 0.0001"
t_ok "! grep -Eq ' 0\\.0000( |\$)' '$OUT'" "no p-value printed as 0"
awk 'BEGIN { print "user_id,variant,converted";
  for (i = 0; i < 100000; i++) printf "c%d,control,%d\n", i, i < 50000
  for (i = 0; i < 100000; i++) printf "t%d,treatment,%d\n", i, i < 49999 }' >"$D/tiny.csv"
t_run 0 "$DCX" analyze --input "$D/tiny.csv" --metric converted:binary --goal converted --format table
t_ok "grep -q '^converted' '$OUT'" "the row is there"
t_lacks "-0.00%" "a difference of -0.001 percentage points is not printed -0.00%"
t_lacks "-0.0%" "nor its lift as -0.0% in the decision"
t_has "0.00% [" "it is printed 0.00%"

# CUPED rows name theta and the variance reduction
t_run 0 "$DCX" analyze --input "$DCX_ROOT/examples/revenue_test.csv" --metric revenue:mean \
    --cuped revenue=pre_revenue --format table
t_ok "grep '^revenue' '$OUT' | grep -Eq 'theta [0-9.]+, VR [0-9.]+%'" "a CUPED row names theta and the variance reduction"
t_has "CUPED" "under a CUPED column"
t_run 0 "$DCX" analyze --input "$DCX_ROOT/examples/revenue_test.csv" --metric revenue:mean --format table
t_lacks "CUPED" "no CUPED column without CUPED"

# Markdown: the same order
t_run 0 "$DCX" analyze --input "$CG" --metrics "$DCX_ROOT/examples/checkout_metrics.json" --format markdown
before "### decision" "### overall results" "Markdown: the decision first"
t_has "| load_ms (p90) | guardrail |" "Markdown: the quantile label"

# the workbook's stakeholder sheet: first, overall rows by role, rates as percentages, the
# guardrail's verdict in words, one reason per line on the decisions sheet
t_run 0 "$DCX" analyze --input "$CG" --metrics "$DCX_ROOT/examples/checkout_metrics.json" --format json
cp "$OUT" "$D/g.json"
t_run 0 "$DCX" plot forest --input "$D/g.json" --output "$D/g.svg"
t_ok "grep -q 'load_ms (p90)' '$D/g.svg'" "forest plot: the quantile metric's panel says p90"
# the report's results table: the same order, labels and p-values as the table view
t_run 0 "$DCX" report --input "$D/g.json" --output "$D/g.html"
t_ok "grep -q 'load_ms (p90)' '$D/g.html'" "report: the quantile metric labelled with its quantile"
t_ok "grep -q '>NI 0.0241<' '$D/g.html'" "report: a guardrail's p is its non-inferiority test"
t_ok "! grep -q '>0.0802<' '$D/g.html'" "report: not the superiority p-value"
t_ok "[ \$(grep -ob '>goal<' '$D/g.html' | tail -1 | cut -d: -f1) -lt \$(grep -ob '>guardrail[<,]' '$D/g.html' | head -1 | cut -d: -f1) ]" \
    "report: goal rows before guardrails"

t_run 0 "$DCX" analyze --input "$CG" --metrics "$DCX_ROOT/examples/checkout_metrics.json" --output "$D/g.xlsx"
t_xlsx "$D/g.json" "$D/g.xlsx" "the workbook, its summary sheet included, holds the result cell by cell"
if [ -n "$T_PY" ]; then
    "$T_PY" - "$D/g.xlsx" >"$OUT" 2>&1 <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("first", wb.sheetnames[0])
ws = wb["summary"]
head = [c.value for c in ws[1]]
for row in ws.iter_rows(min_row=2):
    v = {h: c for h, c in zip(head, row)}
    print("row", v["variant"].value, v["metric"].value, v["role"].value, v["decision"].value,
          v["verdict"].value, v["control"].number_format, v["lift"].number_format)
d = wb["decisions"]
print("reasons lines", len(d["C2"].value.split("\n")), "wrap", d["C2"].alignment.wrap_text)
PY
    t_has "first summary" "the stakeholder sheet comes first"
    t_has "row rich load_ms (p90) guardrail no-ship not shown to hold General 0.00%" \
        "the failing guardrail row: its decision, its verdict in words, the quantile labelled"
    t_has "row express converted goal ship significantly better 0.00% 0.00%" \
        "a conversion rate is a percentage, and so is the lift"
    t_ok "[ \$(grep -n 'converted goal' '$OUT' | head -1 | cut -d: -f1) -lt \$(grep -n 'revenue guardrail' '$OUT' | head -1 | cut -d: -f1) ]" \
        "goal rows before guardrails"
    t_has "reasons lines 3 wrap True" "a decision's three reasons stand on three wrapped lines"
else
    t_skip "summary sheet" "openpyxl is not installed"
fi
t_done
