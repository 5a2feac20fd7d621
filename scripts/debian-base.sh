#!/usr/bin/env bash
# Makes the image debian:bookworm in a running berthd from Debian's own packages: no registry is needed.
#
#   scripts/debian-base.sh [HOST]      build (or reuse) the rootfs tar, import it into berthd at HOST
#   scripts/debian-base.sh --tar-only  build (or reuse) the rootfs tar and print its path
#
# HOST is unix:///path/to/berth.sock; default $BERTH_HOST, then $DOCKER_HOST, then /run/berth/berth.sock.
# The client is $BERTH_CLI (default ./berth), run with BERTH_HOST set.
#
# The rootfs is debootstrap's minbase (what Docker's debian image is made of) from the Debian mirror this host's
# apt uses, with apt pointed at that same mirror. It is packed as one tar and cached at
#   ${BERTH_CACHE_DIR:-/var/cache/berth}/debian-bookworm-HASH.tar
# where HASH covers this script and the mirror, so a changed recipe or mirror builds anew and an unchanged one
# only imports (seconds instead of minutes). The tar is written under a temporary name and renamed when
# complete: an interrupted build never leaves a file that looks like a cache.
set -euo pipefail
BERTH_ROOT=${BERTH_ROOT:-$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)}
say() { echo "debian-base: $*" >&2; }
SUITE=bookworm
IMAGE=debian:bookworm
# Docker's debian image sets exactly this PATH and runs bash.
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

tar_only=false host=
case "${1:-}" in
  --tar-only) tar_only=true ;;
  -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  -*) say "unknown option $1"; exit 2 ;;
  "") host=${BERTH_HOST:-${DOCKER_HOST:-unix:///run/berth/berth.sock}} ;;
  *) host=$1 ;;
esac
[ "$(id -u)" = 0 ] || { say "debootstrap needs root"; exit 1; }

# The first enabled "deb" source of SUITE (component main) in apt's own configuration: one-line *.list files
# and deb822 *.sources files. Files apt does not read (*.disabled-…) are not read here either.
apt_uri() { # suite
  local suite=$1 f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    awk -v s="$suite" '$1 == "deb" { sub(/\[[^]]*\] */, ""); if ($3 == s) { for (i = 4; i <= NF; i++) if ($i == "main") { print $2; exit } } }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk -v s="$suite" '
      function flush() { if (types ~ /(^| )deb( |$)/ && suites ~ ("(^| )" s "( |$)") && comps ~ /(^| )main( |$)/ && enabled != "no") { split(uris, u, " "); print u[1]; found = 1 } types = suites = comps = uris = ""; enabled = "yes" }
      BEGIN { enabled = "yes" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); if (found) exit; next }
      { key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "") }
      key == "types" { types = $0 } key == "uris" { uris = $0 } key == "suites" { suites = $0 }
      key == "components" { comps = $0 } key == "enabled" { enabled = tolower($0) }
      END { if (!found) flush() }' "$f"
  done | head -n1
}
mirror=$(apt_uri "$SUITE")
[ -n "$mirror" ] || { say "no Debian $SUITE source in /etc/apt/sources.list*: no mirror to debootstrap from"; exit 1; }
updates=$(apt_uri "$SUITE-updates")
security=$(apt_uri "$SUITE-security")

cache=${BERTH_CACHE_DIR:-/var/cache/berth}
key=$( { cat "$0"; echo "$mirror $updates $security"; } | sha256sum | cut -c1-12)
tar="$cache/debian-$SUITE-$key.tar"
mkdir -p "$cache"

# A build directory goes with everything debootstrap mounted in it (proc, sys, devpts, or the host's device
# nodes bound in): unmounted first, and rm stays on this file system, so nothing outside is ever removed.
remove_build_dir() { # dir
  local m
  for m in $(awk -v t="$1/" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$m"; done
  rm -rf --one-file-system "$1"
}

build() {
  command -v debootstrap >/dev/null || { say "debootstrap is missing: run scripts/setup-host.sh"; exit 1; }
  local started=$SECONDS
  tmp=$(mktemp -d "$cache/.debian-$SUITE-build.XXXXXX")
  rootfs="$tmp/rootfs"
  # debootstrap mounts proc, sys and devpts inside the target; a failed run can leave them behind.
  trap 'remove_build_dir "$tmp"' EXIT
  trap 'exit 1' INT TERM HUP
  say "building $IMAGE with debootstrap (minbase) from $mirror; once, about a minute"
  if ! debootstrap --variant=minbase "$SUITE" "$rootfs" "$mirror" >"$tmp/debootstrap.log" 2>&1; then
    tail -n 30 "$tmp/debootstrap.log" >&2; [ -f "$rootfs/debootstrap/debootstrap.log" ] && tail -n 30 "$rootfs/debootstrap/debootstrap.log" >&2
    say "debootstrap failed"; exit 1
  fi
  if [ -n "$(awk -v t="$rootfs/" 'index($2, t) == 1' /proc/mounts)" ]; then say "debootstrap left mounts in $rootfs"; exit 1; fi

  # apt inside containers uses the same mirror as this host.
  {
    echo "deb $mirror $SUITE main"
    [ -z "$updates" ] || echo "deb $updates $SUITE-updates main"
    [ -z "$security" ] || echo "deb $security $SUITE-security main"
  } >"$rootfs/etc/apt/sources.list"
  # A package's postinst must not start its service inside an image build or a container: there is no init.
  printf '#!/bin/sh\n# Keeps maintainer scripts from starting services in a container.\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
  # Every RUN apt-get install is a layer: leave no downloaded .debs or binary caches in it.
  cat >"$rootfs/etc/apt/apt.conf.d/berth-clean" <<'EOF'
// Written by berth's debian-base.sh: downloaded packages and apt's binary caches are removed after each
// dpkg run, so that an image layer made by RUN apt-get install holds only what was installed.
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF

  # What debootstrap leaves that an image must not carry: this host's names and resolver (berth bind-mounts
  # its own /etc/hostname, /etc/hosts and /etc/resolv.conf), package lists and archives, logs, device nodes.
  chroot "$rootfs" apt-get clean
  for f in hostname hosts resolv.conf; do rm -f "$rootfs/etc/$f"; install -m 0644 /dev/null "$rootfs/etc/$f"; done
  find "$rootfs/var/lib/apt/lists" -type f ! -name lock -delete
  rm -rf --one-file-system "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/dev/*

  tar --numeric-owner --sort=name -C "$rootfs" -cf "$tmp/rootfs.tar" .
  mv "$tmp/rootfs.tar" "$tar"
  say "built $tar ($(( $(stat -c %s "$tar") / 1048576 )) MiB) in $(( SECONDS - started )) s"
}

# One build at a time per cache, also across test runs of other checkouts on this machine.
exec 9>"$cache/.debian-$SUITE.lock"
flock 9
# Build directories of runs that were killed (nothing else can be building while the lock is held).
for stale in "$cache"/.debian-$SUITE-build.*; do [ -d "$stale" ] && remove_build_dir "$stale"; done
[ -f "$tar" ] || build
# A tar's mtime says when it was last used: other recipes' tars (another checkout's) go after a week unused.
touch "$tar"
find "$cache" -maxdepth 1 -name "debian-$SUITE-*.tar" -mtime +7 -delete
flock -u 9

if $tar_only; then echo "$tar"; exit 0; fi
started=$SECONDS
BERTH_HOST=$host "${BERTH_CLI:-$BERTH_ROOT/berth}" import -c 'CMD ["bash"]' -c "ENV PATH=$IMAGE_PATH" \
  -m "debootstrap --variant=minbase $SUITE $mirror" "$tar" "$IMAGE" >/dev/null
say "imported $IMAGE from $tar in $(( SECONDS - started )) s"
