#!/bin/sh
# dcx plot and dcx report: every kind in PNG and SVG (and PDF), checked as files; reports
# self-contained; a missing gnuplot is exit 3 with advice and no partial file.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
cd "$DCX_ROOT" || exit 1
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "1..0 # SKIP gnuplot not installed (apt-get install gnuplot-nox)"
    exit 0
fi
"$DCX" analyze --input examples/checkout_test.csv --metric converted:binary --metric revenue:mean \
    --segment device --time-column day --correction holm --format json >"$D/a.json"
"$DCX" analyze --input examples/nps_survey.csv --metric nps:nps --method bayesian --format json >"$D/b.json"
"$DCX" power --baseline 0.031 --mde 0.1 --relative --format json >"$D/p.json"
"$DCX" maturity score --assessment assessments/dcx-maturity.json --responses examples/maturity_2026.csv \
    --target 3.4 --group-by role --format json >"$D/m.json"

PNGSTAT=$DCX_BUILD/tests/pngstat
png_ok() { # the PNG signature and a plausible size
    [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] && [ "$(wc -c <"$1")" -gt 5000 ]
}
# drawn FILE GRID MIN [TOP]: every cell of a ROWSxCOLS grid over the picture below its
# title holds at least MIN coloured pixels (marks in the palette's colours; text, frames and
# grid lines are grey): what a blank page with a title and axes never has
drawn() {
    "$PNGSTAT" "$1" --grid "$2" --top "${4:-40}" | awk -v min="$3" '
        /^cell/ { n++; if ($5 < min) { bad = 1; printf "#   cell %s,%s has %d coloured pixels (want >= %d)\n", $2, $3, $5, min } }
        END { exit !(n > 0 && !bad) }'
}
# colour FILE RRGGBB: how many pixels are of that colour
colour() { "$PNGSTAT" "$1" --colour "$2" | awk -v c="$2" '$1 == "colour" && $2 == c { print $3 }'; }
# svg_ok FILE: one well-formed XML document whose root is <svg> (two documents back to back,
# as a broken multiplot once wrote, do not parse)
svg_ok() {
    python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); sys.exit(0 if r.tag.endswith("svg") else 1)' "$1"
}
"$DCX" analyze --input examples/checkout_test.csv --metric converted:binary --format json >"$D/one.json"
"$DCX" analyze --input examples/checkout_guardrails.csv --metric converted:binary --metric revenue:mean \
    --metric load_ms:quantile=0.9 --guardrail revenue=2% --guardrail load_ms=50 --direction load_ms=decrease \
    --format json >"$D/g.json"
"$DCX" analyze --input examples/checkout_test.csv --metric converted:binary --method sequential \
    --time-column day --format json >"$D/s.json"
"$DCX" analyze --input examples/checkout_test.csv --metric converted:binary --method bayesian --format json >"$D/bb.json"
"$DCX" power --mean 50 --sd 20 --mde 2 --format json >"$D/pm.json"
"$DCX" maturity score --assessment assessments/dcx-maturity.json --responses examples/maturity_2026.csv \
    --target 3.4 --format json >"$D/m0.json"
"$DCX" maturity compare --assessment assessments/dcx-maturity.json --before examples/maturity_2026.csv \
    --after examples/maturity_2027.csv --target 3.4 --format json >"$D/c.json"
# kind:result:grid:min: every kind, in every shape the tests use (one metric and many, one
# panel and many, segments, guardrails, groups, both rounds)
for spec in forest:a:1,1:400 forest:one:1,1:40:999999 forest:g:1,1:200 timeline:a:2,1:300 timeline:s:1,1:300 \
    posterior:b:1,2:2000 posterior:bb:1,1:2000 power:p:1,1:500 power:pm:1,1:500 radar:m:1,1:2000 \
    radar:m0:1,1:2000 radar:c:1,1:2000 gaps:m:1,1:2000 change:c:1,1:300; do
    k=${spec%%:*}; rest=${spec#*:}; j=${rest%%:*}; rest=${rest#*:}; grid=${rest%%:*}; min=${rest#*:}
    hue=${min#*:}; min=${min%%:*}; [ "$hue" = "$min" ] && hue=
    t_run 0 "$DCX" plot "$k" --input "$D/$j.json" --output "$D/$k-$j.png"
    t_ok "png_ok '$D/$k-$j.png'" "$k of $j.json: a PNG"
    if [ -n "$hue" ]; then # marks in one colour (grey: a row that is not significant)
        t_ok "[ \$(colour '$D/$k-$j.png' $hue) -ge $min ]" "$k of $j.json: the plot holds marks (#$hue)"
    else
        t_ok "drawn '$D/$k-$j.png' $grid $min" "$k of $j.json: every panel ($grid) holds marks"
    fi
    t_run 0 "$DCX" plot "$k" --input "$D/$j.json" --output "$D/$k-$j.svg"
    t_ok "svg_ok '$D/$k-$j.svg'" "$k of $j.json: the SVG is one well-formed XML document"
    [ -e "$D/$k.svg" ] || cp "$D/$k-$j.svg" "$D/$k.svg" # the first of each kind, for the checks below
done
t_ok "grep -q 'device=mobile, treatment' '$D/forest.svg'" "forest: one row per segment level, labelled"
t_ok "grep -q 'significant' '$D/forest.svg' && grep -q 'not significant' '$D/forest.svg'" "forest: significance told apart in the key"
t_ok "grep -q 'Omnichannel consistency' '$D/radar.svg'" "radar: dimension names"
t_ok "grep -q '#D55E00' '$D/forest.svg' || grep -qi 'rgb(213,  94,   0)' '$D/forest.svg'" "colour-blind-safe palette (Okabe-Ito vermillion)"
t_run 0 "$DCX" plot forest --input "$D/a.json" --output "$D/forest.pdf" --measure lift --title "Checkout redesign"
t_ok "[ \"\$(head -c 4 '$D/forest.pdf')\" = '%PDF' ]" "PDF by extension"

# errors
t_run 2 "$DCX" plot forest --input "$D/a.json" --output "$D/x.gif"
t_err "must end in .png, .svg or .pdf" "unknown extension"
t_run 1 "$DCX" plot radar --input "$D/a.json" --output "$D/x.png"
t_err "needs a maturity result" "the wrong result for the kind"
t_run 2 "$DCX" plot sideways --input "$D/a.json" --output "$D/x.png"
t_err "'sideways' is not one of forest, timeline, posterior, power, radar, gaps" "unknown kind"
# forest colours mean good or bad in the metric's direction: a page load that fell
# significantly is a win (blue) when lower is better, and a loss (vermillion) when it is
# taken as higher-is-better; the failing p90 load-time guardrail of the decision example is
# vermillion, its conversion wins blue
awk 'BEGIN { srand(11); print "variant,load_ms";
  for (i = 0; i < 400; i++) printf "%s,%.1f\n", (i % 2 ? "control" : "treatment"), (i % 2 ? 900 : 700) + 100 * rand() }' >"$D/load.csv"
"$DCX" analyze --input "$D/load.csv" --metric load_ms:mean --direction load_ms=decrease --format json >"$D/down.json"
"$DCX" analyze --input "$D/load.csv" --metric load_ms:mean --format json >"$D/up.json"
t_run 0 "$DCX" plot forest --input "$D/down.json" --output "$D/down.png"
t_ok "[ \$(colour '$D/down.png' 0072B2) -gt 100 ] && [ \$(colour '$D/down.png' D55E00) -lt 10 ]" \
    "forest: a significant fall of a lower-is-better metric is drawn blue (better), not vermillion"
t_run 0 "$DCX" plot forest --input "$D/up.json" --output "$D/up.png"
t_ok "[ \$(colour '$D/up.png' D55E00) -gt 100 ] && [ \$(colour '$D/up.png' 0072B2) -lt 10 ]" \
    "forest: the same fall of a higher-is-better metric is vermillion (worse)"
t_ok "[ \$(colour '$D/forest-g.png' D55E00) -gt 100 ] && [ \$(colour '$D/forest-g.png' 0072B2) -gt 100 ]" \
    "forest: the failing load-time guardrail is vermillion, the conversion wins blue"
t_ok "grep -q 'significantly worse' '$D/forest-g.svg' && grep -q '>express<' '$D/forest-g.svg' && grep -q '>rich<' '$D/forest-g.svg'" \
    "forest: the legend names the colours and each variant's marker"

# gaps: bars in the order of the gap they draw, largest first
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for x in sorted((x for x in d["dimensions"] if x["gap"] is not None), key=lambda x: -x["gap"]): print(x["name"])' \
    "$D/m.json" >"$D/gap-order"
xargs -d '\n' python3 tests/cli/svg_labels.py "$D/gaps-m.svg" <"$D/gap-order" >"$D/gap-drawn"
t_ok "cmp -s '$D/gap-order' '$D/gap-drawn'" "gaps: bars top to bottom in the order of their gap, largest first"
# change: a dumbbell per dimension and overall, in definition order under Overall
t_ok "python3 tests/cli/svg_labels.py '$D/change-c.svg' Overall 'CX strategy and leadership' 'Measurement and experimentation' | head -1 | grep -qx Overall" \
    "change: Overall on top, then the dimensions"
t_ok "grep -q 'second round: better' '$D/change-c.svg' && grep -q '>target<' '$D/change-c.svg'" "change: its legend says what the colours and the bar mean"
# radar: at most five groups beside all respondents; --groups chooses; the target is dark grey
awk -F, 'NR == 1 { print $0 ",department"; next } { print $0 ",t" (NR % 8) }' examples/maturity_2026.csv >"$D/teams.csv"
"$DCX" maturity score --assessment assessments/dcx-maturity.json --responses "$D/teams.csv" \
    --target 3.4 --group-by department --min-group-size 1 --format json >"$D/teams.json" 2>/dev/null ||
"$DCX" maturity score --assessment assessments/dcx-maturity.json --responses "$D/teams.csv" \
    --target 3.4 --group-by department --format json >"$D/teams.json"
t_run 0 "$DCX" plot radar --input "$D/teams.json" --output "$D/teams.svg"
t_ok "grep -q '8 groups are not drawn: choose up to 5 with --groups' '$D/teams.svg' && ! grep -q '>t1 (n=' '$D/teams.svg'" \
    "radar: eight groups are not drawn by default, and the figure says so"
t_run 0 "$DCX" plot radar --input "$D/teams.json" --output "$D/teams2.svg" --groups t1,t2 --groups t3
t_ok "grep -q '>t1 (n=' '$D/teams2.svg' && grep -q '>t3 (n=' '$D/teams2.svg' && ! grep -q '>t4 (n=' '$D/teams2.svg' && ! grep -q 'not drawn' '$D/teams2.svg'" \
    "radar --groups t1,t2 --groups t3: those three and no other"
t_run 2 "$DCX" plot radar --input "$D/teams.json" --output "$D/teams3.svg" --groups t1,t2,t3,t4,t5,t6
t_err "at most 5 groups fit on a radar (6 given)" "radar: six chosen groups are too many"
t_run 2 "$DCX" plot radar --input "$D/teams.json" --output "$D/teams3.svg" --groups t9
t_err "this result has no group 't9'" "radar: a group the result lacks is named"
t_ok "[ \$(colour '$D/radar-m0.png' D55E00) -lt 10 ] && [ \$(colour '$D/radar-m0.png' 333333) -gt 200 ]" \
    "radar: the target is dark grey, not a colour of the series"

# reports: the page title, the client's report, p-values never 0
t_run 0 "$DCX" report --input "$D/up.json" --output "$D/up.html" --title 'Page load <test> & co'
t_ok "grep -q '<title>Page load &lt;test&gt; &amp; co</title>' '$D/up.html'" "report: --title is also the page's <title>, escaped"
t_ok "grep -q '< 0.0001\|&lt; 0.0001' '$D/up.html' && ! grep -q '<td>0</td>' '$D/up.html'" "report: a tiny p-value reads < 0.0001, never 0"
t_ok "grep -q 'Inputs and settings' '$D/up.html' && grep -q 'load.csv' '$D/up.html' && grep -q 'Made with dcx 0' '$D/up.html'" \
    "report for analysts: settings, input files and the version"
t_run 0 "$DCX" report --input "$D/up.json" --output "$D/client.html" --audience client
t_ok "! grep -q 'Inputs and settings' '$D/client.html' && ! grep -q 'load.csv' '$D/client.html' && ! grep -q 'dcx 0\.' '$D/client.html'" \
    "report --audience client: no settings, no file paths, no version"
t_ok "grep -q '@media print' '$D/client.html' && grep -q 'break-after:avoid' '$D/client.html'" "report: print CSS keeps headings with what follows"

# a document a plot cannot draw is an error (exit 1) and no file, never a blank page
python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
for e in d["timeline"]: e["diff"] = None; e["diff_ci"] = None
json.dump(d, open(sys.argv[2], "w"))' "$D/a.json" "$D/a-nan.json"
t_run 1 "$DCX" plot timeline --input "$D/a-nan.json" --output "$D/blank.png"
t_err "every period of this result has none" "timeline: no period with a difference is an error"
"$DCX" analyze --input examples/checkout_guardrails.csv --metric load_ms:quantile=0.9 --method bayesian \
    --format json >"$D/q.json" 2>/dev/null
t_run 1 "$DCX" plot posterior --input "$D/q.json" --output "$D/blank.png"
t_err "needs an overall comparison of two arms with a spread (not a quantile)" "posterior: a quantile alone is an error"
t_ok "[ ! -e '$D/blank.png' ]" "and neither wrote a file"
printf '{"results": [' >"$D/bad.json"
t_run 1 "$DCX" plot forest --input "$D/bad.json" --output "$D/x.png"
t_err "bad.json:1:" "malformed JSON with its position"
t_ok "[ ! -e '$D/x.png' ] && ! ls '$D'/x.png.tmp.* 2>/dev/null" "no partial output file"

# gnuplot missing: exit 3, one line of advice, no file
t_run 3 env DCX_GNUPLOT=/nonexistent/gnuplot "$DCX" plot forest --input "$D/a.json" --output "$D/none.png"
t_err "gnuplot not found" "missing gnuplot explained"
t_err "apt-get install gnuplot-nox" "with how to install it"
t_ok "[ ! -e '$D/none.png' ]" "and no file"
t_run 3 env PATH=/nonexistent "$DCX" report --input "$D/a.json" --output "$D/none.html"
t_ok "[ ! -e '$D/none.html' ]" "a report without gnuplot: exit 3, no file"

# --plot on the commands
t_run 0 "$DCX" power --baseline 0.1 --mde 0.02 --plot "$D/pw.png" --format json
t_ok "png_ok '$D/pw.png'" "power --plot"
t_run 0 "$DCX" analyze --input examples/checkout_test.csv --metric converted:binary --segment device --plot "$D/an.svg" --format json
t_ok "grep -q '<svg' '$D/an.svg'" "analyze --plot"
t_run 0 "$DCX" maturity score --assessment assessments/dcx-maturity.json --responses examples/maturity_2026.csv --plot "$D/mt.png" --format json
t_ok "png_ok '$D/mt.png'" "maturity score --plot"
t_run 3 env DCX_GNUPLOT=/nonexistent "$DCX" power --baseline 0.1 --mde 0.02 --plot "$D/pw2.png" --output "$D/pw2.json"
t_ok "[ ! -e '$D/pw2.json' ] && [ ! -e '$D/pw2.png' ]" "a failed --plot leaves neither file"

# reports: one self-contained file
t_run 0 "$DCX" report --input "$D/a.json" --output "$D/r.html"
t_ok "[ \$(grep -c '<svg' '$D/r.html') -ge 2 ]" "HTML: forest and timeline embedded as SVG"
t_ok "! grep -Eo '(src|href)=\"https?:' '$D/r.html' | grep -q ." "HTML: no external requests"
t_ok "grep -q 'Traffic split (SRM)' '$D/r.html' && grep -q 'Method' '$D/r.html'" "HTML: SRM status and method notes"
t_ok "grep -q 'comparisons are significant' '$D/r.html'" "HTML: a summary verdict"
t_run 0 "$DCX" report --input "$D/m.json" --output "$D/m.html"
t_ok "grep -q 'Priorities and next steps' '$D/m.html' && grep -q 'Groups compared' '$D/m.html'" "maturity report: priorities and groups"
t_ok "grep -q 'Reliability and agreement' '$D/m.html'" "maturity report: reliability"
t_run 0 "$DCX" report --input "$D/a.json" --output "$D/r.md"
t_ok "grep -q 'data:image/svg+xml;base64,' '$D/r.md'" "Markdown: plots as data URIs"
t_run 1 "$DCX" report --input "$D/p.json" --output "$D/p.html"
t_err "needs the JSON result of dcx analyze, dcx maturity score or dcx maturity compare" "a power result has no report"
t_done
