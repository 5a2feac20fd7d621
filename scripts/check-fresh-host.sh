#!/usr/bin/env bash
# Runs scripts/setup-host.sh on a fresh Debian bookworm (a chroot made from the cached debian-base rootfs) and
# checks that it installs what berth needs, without a prompt, and is silent the second time. Not part of
# ./run-tests: it downloads several hundred MB (maven brings a JDK) and takes minutes. Needs root.
set -euo pipefail
BERTH_ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
tar=$("$BERTH_ROOT/scripts/debian-base.sh" --tar-only)
root=$(mktemp -d /var/tmp/berth-fresh-host.XXXXXX)
cleanup() {
  for m in $(awk -v t="$root/" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$m"; done
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
tar -xf "$tar" -C "$root"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mkdir "$root/berth" && mount --bind "$BERTH_ROOT" "$root/berth" && mount -o remount,bind,ro "$root/berth"
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root() { chroot "$root" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@" </dev/null; }

started=$SECONDS
in_root /berth/scripts/setup-host.sh
echo "check-fresh-host: first run took $(( SECONDS - started )) s"
second=$(in_root /berth/scripts/setup-host.sh 2>&1)
[ -z "$second" ] || { echo "check-fresh-host: the second run said: $second" >&2; exit 1; }
in_root sh -ec '
  /usr/lib/podman/netavark --version; /usr/lib/podman/aardvark-dns --version; iptables -V; nft --version; ip -V
  debootstrap --version; iperf3 --version | head -n1; crun --version | head -n1; conmon --version | head -n1
  python3 -c "import docker; print(\"docker SDK\", docker.__version__)"; docker-compose version | head -n1
  ! dpkg-query -W -f="\${Status}" docker.io 2>/dev/null | grep -q "ok installed" || { echo "docker.io came along" >&2; exit 1; }'
echo "check-fresh-host: ok"
