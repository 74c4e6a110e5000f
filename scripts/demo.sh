#!/bin/sh
# demo.sh — the main job on the shipped example data. Called by `make demo`.
set -eu
DCX=${1:-build/dcx}
cd "$(dirname "$0")/.."
out=build/demo
mkdir -p "$out"

echo "== 1. Planning the checkout redesign test: how many customers do we need?"
echo "   (3.1% baseline checkout conversion, detect a 10% relative lift, 12,000 visitors a day)"
"$DCX" power --baseline 0.031 --mde 0.10 --relative --daily-units 12000 --format table
echo
echo "== 2. Assigning customers, exactly as the GrowthBook SDK in the app does"
"$DCX" assign --config examples/experiments/checkout-redesign.json \
    --config examples/experiments/express-pay.json --input examples/customer_ids.csv
echo
echo "== 3. Analysing the checkout test: conversion, revenue and pages per session, by device"
"$DCX" analyze --input examples/checkout_test.csv --metric converted:binary --metric revenue:mean \
    --metric pages_per_session:ratio=pageviews/sessions --segment device --correction holm --format table
"$DCX" analyze --input examples/checkout_test.csv --metric converted:binary --metric revenue:mean \
    --metric pages_per_session:ratio=pageviews/sessions --segment device --segment country \
    --time-column day --correction holm --format json --output "$out/checkout_analysis.json"
echo
echo "== 4. The upsell revenue test, with CUPED on last quarter's revenue"
"$DCX" analyze --input examples/revenue_test.csv --variant-column variant --metric revenue:mean \
    --cuped revenue=pre_revenue --segment plan --format table
echo
echo "== 5. The support survey: NPS under three variants, Bayesian"
"$DCX" analyze --input examples/nps_survey.csv --metric nps:nps --segment channel --method bayesian \
    --format table
"$DCX" analyze --input examples/nps_survey.csv --metric nps:nps --segment channel --method bayesian \
    --format json --output "$out/nps_analysis.json"
echo
echo "== 6. Always-valid monitoring of the checkout test, day by day (mSPRT)"
"$DCX" analyze --input examples/checkout_test.csv --metric converted:binary --method sequential \
    --time-column day --format json --output "$out/checkout_sequential.json"
grep -A3 '"period": "2026-03-14"' "$out/checkout_sequential.json" | head -4
echo
echo "== 6b. Deciding: two checkout variants, conversion the goal, a revenue guardrail (2%) and a p90"
echo "   load-time guardrail, as defined in examples/checkout_metrics.json"
"$DCX" analyze --input examples/checkout_guardrails.csv --metrics examples/checkout_metrics.json --format table
"$DCX" analyze --input examples/checkout_guardrails.csv --metrics examples/checkout_metrics.json --format json \
    --output "$out/checkout_decision.json" --plot "$out/checkout_decision_forest.png"
"$DCX" analyze --input examples/checkout_guardrails.csv --metrics examples/checkout_metrics.json \
    --output "$out/checkout_decision.xlsx"
echo
echo "== 7. DCX maturity: twelve respondents in three roles, target level Managed (3.4)"
"$DCX" maturity score --assessment assessments/dcx-maturity.json --responses examples/maturity_2026.csv \
    --target 3.4 --group-by role --format table
"$DCX" maturity score --assessment assessments/dcx-maturity.json --responses examples/maturity_2026.csv \
    --target 3.4 --group-by role --format json --output "$out/maturity_2026.json"
echo
echo "== 8. A year later: progress by dimension"
"$DCX" maturity compare --assessment assessments/dcx-maturity.json --before examples/maturity_2026.csv \
    --after examples/maturity_2027.csv --target 3.4 --group-by role --format table \
    --plot "$out/maturity_rounds.png"
"$DCX" maturity compare --assessment assessments/dcx-maturity.json --before examples/maturity_2026.csv \
    --after examples/maturity_2027.csv --target 3.4 --group-by role --format json \
    --output "$out/maturity_compare.json"
"$DCX" maturity score --assessment assessments/dcx-maturity.json --responses examples/maturity_2026.csv \
    --target 3.4 --group-by role --output "$out/maturity_2026.xlsx"
echo
echo "== 9. Plots and reports (gnuplot)"
"$DCX" plot forest --input "$out/checkout_analysis.json" --output "$out/checkout_forest.png" \
    --title "Checkout redesign: effect by segment"
"$DCX" plot timeline --input "$out/checkout_analysis.json" --output "$out/checkout_timeline.png"
"$DCX" plot posterior --input "$out/nps_analysis.json" --output "$out/nps_posterior.png"
"$DCX" power --baseline 0.031 --mde 0.10 --relative --format json --plot "$out/checkout_power.png" \
    --output "$out/checkout_power.json"
"$DCX" plot radar --input "$out/maturity_2026.json" --output "$out/maturity_radar.png"
"$DCX" plot gaps --input "$out/maturity_2026.json" --output "$out/maturity_gaps.svg"
"$DCX" report --input "$out/checkout_analysis.json" --output "$out/checkout_report.html" \
    --title "Checkout redesign, March 2026"
"$DCX" report --input "$out/maturity_2026.json" --output "$out/maturity_report.html"
"$DCX" report --input "$out/maturity_2026.json" --output "$out/maturity_report.md"
"$DCX" report --input "$out/checkout_decision.json" --output "$out/checkout_decision_report.html" \
    --title "Express or rich checkout?"
"$DCX" report --input "$out/maturity_compare.json" --output "$out/maturity_compare_report.html"
ls "$out"
echo
echo "demo: results written to $out/ (open checkout_decision_report.html, maturity_report.html"
echo "      and the workbooks checkout_decision.xlsx and maturity_2026.xlsx)"
