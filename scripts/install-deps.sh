#!/bin/sh
# Installs the Debian packages dcx needs to build and test, only those missing.
# Uses apt-get as root (or through sudo); otherwise prints the exact command to run.
set -eu

PKGS="build-essential pkg-config libgsl-dev libcsv-dev libcjson-dev liblua5.4-dev lua5.4 gnuplot-nox"
# libxlsxwriter's pkg-config file links -lz, but Debian's libxlsxwriter-dev does not depend
# on zlib1g-dev: without it the link fails with "cannot find -lz" on a fresh machine
PKGS="$PKGS libxlsxwriter-dev zlib1g-dev"
# the SQL round-trip tests run the generated queries in real databases
PKGS="$PKGS sqlite3 postgresql"
# tests run under prove (perl), read workbooks back (openpyxl), validate JSON against
# docs/schema (jsonschema), lint and render the man page (mandoc, groff) and run the
# README's examples under a terminal (script, in bsdutils)
PKGS="$PKGS perl python3 python3-openpyxl python3-jsonschema mandoc groff-base bsdutils"
# the plot tests decode the PNGs they draw to count the marks in them (libpng)
PKGS="$PKGS libpng-dev"
# `install-deps.sh --fuzz`: clang and its libFuzzer runtime
if [ "${1:-}" = "--fuzz" ]; then
    PKGS="$PKGS clang libclang-rt-14-dev"
fi


missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# `install-deps.sh --bench` adds the reference tools `make bench` compares against,
# checked by what they provide (a machine may have node and npm from elsewhere)
if [ "${1:-}" = "--bench" ]; then
    [ -x /usr/bin/time ] || missing="$missing time"
    command -v node >/dev/null 2>&1 || missing="$missing nodejs"
    command -v npm >/dev/null 2>&1 || missing="$missing npm"
    /usr/bin/python3 -c 'import pandas, scipy, statsmodels' >/dev/null 2>&1 \
        || missing="$missing python3-pandas python3-scipy python3-statsmodels"
fi
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
else
    echo "install-deps: not root and no sudo; please run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
