#!/usr/bin/env bash
# The README's first command on a fresh Debian 12, as a new user meets it: a minimal
# Debian (debootstrap --variant=minbase, then python3 as any desktop has it), the README's
# apt-get line, then the README's first command, with the window on an X display of this
# machine. Needs root, debootstrap and a running X server (e.g. `Xvfb :80 &`).
#
#   sudo scripts/try_fresh_debian.sh [DISPLAY] [ROOT]
#
# It prints the two lines it ran, leaves the program running for 60 s and takes a
# screenshot to ROOT.png when ImageMagick's `import` is there. A proxy's CA certificates
# in /usr/local/share/ca-certificates are copied in so pip can reach PyPI behind it.
set -euo pipefail
DISPLAY_=${1:-:80}
R=${2:-/tmp/fresh-debian12}
REPO=$(cd "$(dirname "$0")/.." && pwd)

cleanup() {
    for m in tmp/.X11-unix dev proc; do
        mountpoint -q "$R/$m" && umount "$R/$m" || true
    done
}
trap cleanup EXIT

[ -x "$R/bin/bash" ] || debootstrap --variant=minbase bookworm "$R" http://deb.debian.org/debian
mountpoint -q "$R/proc" || mount -t proc proc "$R/proc"
mountpoint -q "$R/dev" || mount --bind /dev "$R/dev"
mkdir -p "$R/tmp/.X11-unix" "$R/usr/local/share/ca-certificates"
mountpoint -q "$R/tmp/.X11-unix" || mount --bind /tmp/.X11-unix "$R/tmp/.X11-unix"
cp /etc/resolv.conf "$R/etc/"
cp /usr/local/share/ca-certificates/*.crt "$R/usr/local/share/ca-certificates/" 2>/dev/null || true
chroot "$R" bash -c "apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 ca-certificates >/dev/null
    update-ca-certificates >/dev/null 2>&1 || true"
rm -rf "$R/root/kupon"
git clone -q "$REPO" "$R/root/kupon"

line=$(grep -o 'sudo apt-get install -y python3-venv[^`]*' "$REPO/README.md" | sed 's/^sudo //')
first=$(grep -m1 '.venv/bin/kupon-desktop --demo$' "$REPO/README.md")
echo "apt line: $line"
echo "first command: $first"
chroot "$R" env -i HOME=/root PATH=/usr/bin:/bin:/usr/sbin:/sbin DEBIAN_FRONTEND=noninteractive \
    bash -c "$line" >/dev/null
# the install, then the window for 60 s
chroot "$R" env -i HOME=/root PATH=/usr/bin:/bin DISPLAY="$DISPLAY_" LANG=C.UTF-8 \
    bash -c "cd /root/kupon && ${first% && .venv/bin/kupon-desktop --demo}"
chroot "$R" env -i HOME=/root PATH=/usr/bin:/bin DISPLAY="$DISPLAY_" LANG=C.UTF-8 \
    bash -c "cd /root/kupon && timeout 60 .venv/bin/kupon-desktop --demo" &
sleep 30
if command -v import >/dev/null; then
    DISPLAY=$DISPLAY_ import -window root "$R.png" && echo "screenshot: $R.png"
fi
wait || true
