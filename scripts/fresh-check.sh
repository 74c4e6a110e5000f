#!/bin/sh
# fresh-check.sh — proves the README's set-up on a fresh Debian 12 root. Called by
# `make fresh-check`.
#
# Builds a minimal root with `debootstrap --variant=minbase bookworm`, installs git and make
# in it (what the README says a fresh machine needs first), clones this repository's
# committed HEAD into it (from a git bundle of the local repository, not from the network),
# and runs the README's two set-up commands there, `make demo` and `make check`, timing
# each step. Exits non-zero when a step fails; exits 0 with "skipped: ..." where it cannot
# run (not root, no debootstrap, no chroot).
#
# Environment:
#   FRESH_DIR     working folder (default build/fresh); the root is FRESH_DIR/root
#   FRESH_KEEP=1  keep the downloaded packages (debootstrap's tarball and apt's archives)
#                 for the next run, and leave the root in place afterwards; the root itself
#                 is still built afresh on every run
#   FRESH_MIRROR  Debian mirror (default: the bookworm mirror in /etc/apt sources, else
#                 http://deb.debian.org/debian)
#   FRESH_SUITE   Debian suite (default bookworm)
set -eu
cd "$(dirname "$0")/.."
REPO=$(pwd)
PATH=$PATH:/usr/sbin:/sbin

skip() {
    echo "fresh-check: skipped: $*"
    exit 0
}
[ "$(id -u)" = 0 ] || skip "needs root (debootstrap, mount and chroot); run it as root or with sudo"
command -v debootstrap >/dev/null 2>&1 || skip "debootstrap is not installed (Debian: apt-get install debootstrap)"
command -v chroot >/dev/null 2>&1 || skip "chroot is not available"
command -v git >/dev/null 2>&1 || skip "git is not installed"
git -C "$REPO" rev-parse --verify -q HEAD >/dev/null || skip "$REPO is not a git repository with a commit"

# the two commands, as the README's set-up section shows them
SETUP=$(sed -n '/^## Set-up: two commands/,/^## /p' README.md | sed -n 's/^    \(make [a-z]*\)  *#.*/\1/p')
case $(printf '%s\n' "$SETUP" | tr '\n' ' ') in
"make demo make check ") ;;
*)
    echo "fresh-check: README.md's set-up section no longer shows 'make demo' then 'make check'" \
        "(found: $(printf '%s' "$SETUP" | tr '\n' ','))" >&2
    exit 1
    ;;
esac

SUITE=${FRESH_SUITE:-bookworm}
KEEP=${FRESH_KEEP:-0}
W=${FRESH_DIR:-$REPO/build/fresh}
mkdir -p "$W"
W=$(cd "$W" && pwd -P)
R=$W/root

# the mirror the host's apt uses for the suite (one-line or deb822 sources), not security
mirror() {
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        sed 's/#.*//; s/\[[^]]*\]//' "$f" |
            awk -v s="$SUITE" '$1 == "deb" && $3 == s && $2 !~ /security/ { print $2; exit }'
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        sed '/^[[:space:]]*#/d; s/#.*//' "$f" | awk -v s="$SUITE" '
            function flush() { if (uris != "" && suites ~ "(^| )" s "( |$)" && uris !~ /security/ && types ~ /(^| )deb( |$)/) { split(uris, u, " "); print u[1]; uris = ""; exit } uris = suites = types = "" }
            /^[ \t]*$/ { flush(); next }
            /^URIs:/ { uris = $0; sub(/^URIs:[ \t]*/, "", uris) }
            /^Suites:/ { suites = $0; sub(/^Suites:[ \t]*/, "", suites) }
            /^Types:/ { types = $0; sub(/^Types:[ \t]*/, "", types) }
            END { flush() }'
    done
}
MIRROR=${FRESH_MIRROR:-$(mirror | head -1)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

# ---- mounts, and taking them down on every exit path ---------------------------------------
mounted_under() { # the mount points at or under $R, deepest first
    awk -v r="$R" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}
# processes whose root is the fresh root (a daemon a test left running): ours, by pid
chroot_pids() {
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$R" ] && echo "${p#/proc/}"
    done
    return 0
}
teardown() {
    pids=$(chroot_pids)
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill $pids 2>/dev/null || true
        sleep 2
        pids=$(chroot_pids)
        # shellcheck disable=SC2086
        [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
    fi
    for m in $(mounted_under); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    if [ -n "$(mounted_under)" ]; then
        echo "fresh-check: could not unmount: $(mounted_under | tr '\n' ' ')" >&2
        return 1
    fi
    return 0
}
# only a root this script made is ever removed (FRESH_DIR=/ must not remove /root)
MARK=$W/root.made-by-fresh-check
remove_root() {
    [ -e "$R" ] || return 0
    teardown || { echo "fresh-check: left $R in place (still mounted)" >&2; return 1; }
    if [ ! -e "$MARK" ]; then
        echo "fresh-check: $R was not made by fresh-check; not removing it" >&2
        return 1
    fi
    rm -rf --one-file-system "$R" && rm -f "$MARK"
}
on_exit() {
    rc=$?
    trap - EXIT INT TERM HUP
    teardown || rc=1
    if [ "$KEEP" = 1 ]; then
        [ -d "$R" ] && echo "fresh-check: the root is kept in $R (FRESH_KEEP=1)"
    else
        remove_root || rc=1
        rm -rf "$W/debs.tgz" "$W/apt-archives"
    fi
    rm -f "$W/rc"
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---- timing -----------------------------------------------------------------------------
TIMES=
now() { date +%s.%N; }
timed() { # timed NAME LOG CMD...: runs CMD, output to LOG (and the terminal for make), times it
    name=$1 log=$2
    shift 2
    echo "fresh-check: $name ..."
    t0=$(now)
    rcf=$W/rc
    echo 1 >"$rcf"
    if [ "$name" = "make demo" ] || [ "$name" = "make check" ]; then
        { "$@" 2>&1 && echo 0 >"$rcf" || echo $? >"$rcf"; } | tee "$log"
    else
        "$@" >"$log" 2>&1 && echo 0 >"$rcf" || echo $? >"$rcf"
    fi
    step_rc=$(cat "$rcf")
    secs=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
    TIMES="$TIMES$(printf '  %-28s %8s s  %s' "$name" "$secs" "$([ "$step_rc" = 0 ] && echo ok || echo FAILED)")
"
    echo "fresh-check: $name: $secs s, exit $step_rc"
    if [ "$step_rc" != 0 ]; then
        case $name in make*) ;; *) tail -30 "$log" ;; esac
        report
        echo "fresh-check: FAILED at '$name' (log: $log)"
        exit 1
    fi
}
report() {
    echo "fresh-check: times (Debian $SUITE minbase from $MIRROR):"
    printf '%s' "$TIMES"
    printf '  %-28s %8s s\n' "total" "$(awk -v a="$START" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
}

# ---- a fresh root ------------------------------------------------------------------------
START=$(now)
remove_root
rm -f "$W"/*.log
if [ "$KEEP" != 1 ]; then
    rm -rf "$W/debs.tgz" "$W/apt-archives"
fi
touch "$MARK"
mkdir "$R"

if [ "$KEEP" = 1 ] && [ ! -s "$W/debs.tgz" ]; then
    timed "download (kept)" "$W/download.log" \
        debootstrap --variant=minbase --make-tarball="$W/debs.tgz" "$SUITE" "$W/tarball-tmp" "$MIRROR"
    rm -rf "$W/tarball-tmp"
fi
if [ "$KEEP" = 1 ]; then
    timed "debootstrap" "$W/debootstrap.log" \
        debootstrap --variant=minbase --unpack-tarball="$W/debs.tgz" "$SUITE" "$R" "$MIRROR"
else
    timed "debootstrap" "$W/debootstrap.log" debootstrap --variant=minbase "$SUITE" "$R" "$MIRROR"
fi

# what a running machine has: /proc, /sys, /dev with ptys, a shared-memory tmpfs
mount -t proc proc "$R/proc"
mount -t sysfs sysfs "$R/sys"
mount --bind /dev "$R/dev"
mount --make-rslave "$R/dev"
mount --bind /dev/pts "$R/dev/pts"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$R/dev/shm"
# services installed by packages are not started inside the root (on a machine they would
# be started by init; here they would outlive the check)
printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"
chmod 755 "$R/usr/sbin/policy-rc.d"
if [ "$KEEP" = 1 ]; then
    mkdir -p "$W/apt-archives/partial"
    mount --bind "$W/apt-archives" "$R/var/cache/apt/archives"
fi

in_root() { # in_root CMD: a login-like, clean environment as root inside the fresh root
    chroot "$R" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -c "$1"
}

timed "apt-get install git make" "$W/prereq.log" \
    in_root 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y git make'

# the committed HEAD, cloned inside the root as a user would clone it
git -C "$REPO" bundle create "$R/root/dcx.bundle" HEAD >"$W/bundle.log" 2>&1
if [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no)" ]; then
    echo "fresh-check: note: uncommitted changes in $REPO are not part of the check (HEAD only)"
fi
timed "git clone" "$W/clone.log" \
    in_root 'cd /root && git -c advice.detachedHead=false clone /root/dcx.bundle dcx'
rm -f "$R/root/dcx.bundle"

timed "make demo" "$W/demo.log" in_root 'cd /root/dcx && make demo'
timed "make check" "$W/check.log" in_root 'cd /root/dcx && make check'

report
grep -E '^(Files=|Result:)' "$W/check.log" | sed 's/^/fresh-check: /'
echo "fresh-check: PASS: the README's set-up works on a fresh Debian $SUITE root"
