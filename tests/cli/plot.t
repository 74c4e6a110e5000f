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

png_ok() { # the PNG signature and a plausible size
    [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] && [ "$(wc -c <"$1")" -gt 5000 ]
}
for kind in forest:a timeline:a posterior:b power:p radar:m gaps:m; do
    k=${kind%%:*}; j=${kind##*:}
    t_run 0 "$DCX" plot "$k" --input "$D/$j.json" --output "$D/$k.png"
    t_ok "png_ok '$D/$k.png'" "$k: a PNG of a plausible size"
    t_run 0 "$DCX" plot "$k" --input "$D/$j.json" --output "$D/$k.svg"
    t_ok "grep -q '<svg' '$D/$k.svg' && grep -q '</svg>' '$D/$k.svg'" "$k: an SVG document"
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
t_run 2 "$DCX" plot radar --input "$D/a.json" --output "$D/x.png"
t_err "needs a maturity result" "the wrong result for the kind"
t_run 2 "$DCX" plot sideways --input "$D/a.json" --output "$D/x.png"
t_err "'sideways' is not one of forest, timeline, posterior, power, radar, gaps" "unknown kind"
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
t_run 2 "$DCX" report --input "$D/p.json" --output "$D/p.html"
t_err "needs the JSON result of dcx analyze, dcx maturity score or dcx maturity compare" "a power result has no report"
t_done
