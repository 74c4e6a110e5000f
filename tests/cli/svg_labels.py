#!/usr/bin/env python3
"""svg_labels.py SVG NAME... — prints the given labels of a gnuplot SVG in the order a reader
meets them top to bottom (by the y of the text's position), one per line; a label that is not
drawn is reported missing and the exit status is 1."""
import re
import sys
import xml.etree.ElementTree as E

root = E.parse(sys.argv[1]).getroot()
found = {}
for g in root.iter():
    if not g.tag.endswith("g"):
        continue
    m = re.match(r"translate\(([-\d.]+),([-\d.]+)\)", g.get("transform", ""))
    if not m:
        continue
    for t in g:
        if t.tag.endswith("text") and t.text:
            found.setdefault(t.text.strip(), float(m.group(2)))
missing = [n for n in sys.argv[2:] if n not in found]
for n in sorted((n for n in sys.argv[2:] if n in found), key=lambda n: found[n]):
    print(n)
for n in missing:
    print("missing: " + n)
sys.exit(1 if missing else 0)
