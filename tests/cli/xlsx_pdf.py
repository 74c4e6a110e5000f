"""xlsx_pdf.py WORKBOOK.xlsx SHEET: prints SHEET as LibreOffice does and checks that it fits
one page wide, in landscape.

The sheet is copied alone into a workbook (openpyxl keeps its print set-up) and converted to
PDF by LibreOffice headless; its pages are counted and measured in the PDF. As a control the
same sheet without its fit-to-width set-up must need more pages than that, so the check can
tell a sheet that fits from one that does not. Exit 0 pass, 1 fail, 77 skip (no LibreOffice).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import openpyxl


def soffice():
    for name in ("soffice", "libreoffice"):
        p = shutil.which(name)
        if p:
            return p
    return None


def pages(pdf):
    """[(width, height)] of the PDF's pages, from their MediaBox."""
    data = open(pdf, "rb").read()
    n = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    boxes = [tuple(float(v) for v in m.groups()) for m in
             re.finditer(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", data)]
    size = [(b[2] - b[0], b[3] - b[1]) for b in boxes]
    return n, size


def convert(xlsx, sheet, fit, out):
    wb = openpyxl.load_workbook(xlsx)
    for name in wb.sheetnames:
        if name != sheet:
            del wb[name]
    ws = wb[sheet]
    if not fit:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
    path = os.path.join(out, "%s-%s.xlsx" % (sheet, "fit" if fit else "plain"))
    wb.save(path)
    home = os.path.join(out, "home")  # a profile of its own: runs in parallel do not meet
    subprocess.run([soffice(), "-env:UserInstallation=file://" + home, "--headless", "--convert-to", "pdf",
                    "--outdir", out, path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=180, check=True)
    return pages(path[:-5] + ".pdf")


def main():
    if not soffice():
        print("LibreOffice is not installed (Debian: libreoffice-calc-nogui)")
        sys.exit(77)
    xlsx, sheet = sys.argv[1], sys.argv[2]
    out = tempfile.mkdtemp()
    try:
        n, size = convert(xlsx, sheet, True, out)
        n0, _ = convert(xlsx, sheet, False, out)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    problems = []
    if n != 1:
        problems.append("%s prints on %d pages, expected 1 (one page wide, and short)" % (sheet, n))
    if not size or not all(w > h for w, h in size[:n]):
        problems.append("%s: pages not landscape: %s" % (sheet, size[:3]))
    if n0 <= n:
        problems.append("control: without fit-to-width %s prints on %d pages, so the check proves nothing"
                        % (sheet, n0))
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("ok: %s on %d landscape page (%d without fit to width)" % (sheet, n, n0))


main()
