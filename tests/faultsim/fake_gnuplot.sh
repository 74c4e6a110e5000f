#!/bin/sh
# fake_gnuplot.sh — stands in for gnuplot in the fault-injection loop (tests/faultsim/run.sh).
# dcx runs its gnuplot in a private directory holding plot.gp and data.txt and expects
# out.png, out.svg or out.pdf there. This writes the script and the data as the "picture",
# so comparing a run's plot with the clean run's compares everything dcx wrote for gnuplot,
# and each plot costs a few milliseconds instead of a real rendering.
cat "$1" data.txt >out.svg || exit 1
cp out.svg out.png && cp out.svg out.pdf
