#!/bin/sh
# A fresh Debian terminal in a folder: prints the path of a tar of a Debian trixie (the base of
# today's Raspberry Pi OS) made with debootstrap, with what cardterm's package depends on
# (adduser, init-system-helpers, pcscd, openjdk-25-jre-headless) installed with apt - no
# systemd running, as on a build machine. Made once (about 2 minutes, most of it downloading),
# then cached: $CARDTERM_CHROOT_CACHE (default /var/cache/cardterm-test). Runs as root.
# Used by DebInstallTest.
set -eu
cache=${CARDTERM_CHROOT_CACHE:-/var/cache/cardterm-test}
mirror=${CARDTERM_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# the name changes when this script does, so a changed recipe makes a new tar
sum=$(sha256sum "$0" | cut -c1-12)
tar="$cache/trixie-terminal-$sum.tar"
if [ -f "$tar" ]; then echo "$tar"; exit 0; fi
command -v debootstrap >/dev/null || { echo "debootstrap missing: apt-get install debootstrap" >&2; exit 2; }
mkdir -p "$cache"
root=$(mktemp -d "$cache/build.XXXXXX")
trap 'umount "$root/proc" 2>/dev/null || true; rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=adduser,init-system-helpers trixie "$root" "$mirror" >"$root.log" 2>&1 \
  || { tail -20 "$root.log" >&2; exit 1; }
mount -t proc proc "$root/proc"
# no service starts inside the chroot
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  pcscd openjdk-25-jre-headless >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
chroot "$root" apt-get clean
umount "$root/proc"
rm -f "$root.log"
tar -C "$root" -cf "$tar.part" .
mv "$tar.part" "$tar"
echo "$tar"
