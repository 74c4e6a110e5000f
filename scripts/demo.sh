#!/bin/sh
# demo.sh — the main job on the shipped example data. Called by `make demo`.
set -eu
DCX=${1:-build/dcx}
cd "$(dirname "$0")/.."
out=build/demo
mkdir -p "$out"

echo "== Planning the checkout redesign test: how many customers do we need?"
echo "   (3.1% baseline checkout conversion, detect a 10% relative lift, 12,000 visitors a day)"
"$DCX" power --baseline 0.031 --mde 0.10 --relative --daily-units 12000 --format table
echo
echo "== The same for average order value (mean 58.20, sd 41.70, detect +1.50)"
"$DCX" power --mean 58.20 --sd 41.70 --mde 1.50 --format table
echo
echo "== Sample-ratio check of the units the test actually received (examples/checkout_counts.csv)"
counts=$(sed -n '2,$p' examples/checkout_counts.csv | cut -d, -f2 | paste -sd, -)
names=$(sed -n '2,$p' examples/checkout_counts.csv | cut -d, -f1 | paste -sd, -)
"$DCX" srm --counts "$counts" --variants "$names" --format table
"$DCX" srm --counts "$counts" --variants "$names" --format json > "$out/srm.json"
echo
echo "demo: results written to $out/"
