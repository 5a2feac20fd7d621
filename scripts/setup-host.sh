#!/usr/bin/env bash
# Installs what berth needs on a Debian host and fixes the cgroup quirk crun trips over. Idempotent.
set -euo pipefail
say() { echo "setup: $*" >&2; }

if [ "$(id -u)" != 0 ]; then
  say "berth needs root (it mounts overlayfs, creates cgroups and namespaces); run as root"; exit 1
fi

need=()
for pair in crun:crun runc:runc conmon:conmon busybox:busybox-static tini:tini catatonit:catatonit \
            iptables:iptables hyperfine:hyperfine tmux:tmux mvn:maven \
            skopeo:skopeo docker-registry:docker-registry script:bsdutils curl:curl; do
  cmd=${pair%%:*}; pkg=${pair##*:}
  command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
done
# busybox must be the static build: it is copied into images that have no libc.
if command -v busybox >/dev/null && ! file -L "$(command -v busybox)" 2>/dev/null | grep -q static; then
  dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
fi
command -v file >/dev/null 2>&1 || need+=(file)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# crun 1.8 refuses cgroup "hybrid mode" while the unified hierarchy lists controllers that have no v1
# mount (hugetlb on these machines). Mounting hugetlb as its own v1 hierarchy empties that list.
unified=/sys/fs/cgroup/unified/cgroup.controllers
if [ -r "$unified" ] && [ -n "$(cat "$unified")" ]; then
  for c in $(cat "$unified"); do
    if ! mountpoint -q "/sys/fs/cgroup/$c"; then
      mkdir -p "/sys/fs/cgroup/$c" 2>/dev/null || mount -o remount,rw /sys/fs/cgroup 2>/dev/null && mkdir -p "/sys/fs/cgroup/$c"
      mount -t cgroup -o "$c" cgroup "/sys/fs/cgroup/$c" && say "mounted cgroup v1 controller $c at /sys/fs/cgroup/$c (crun hybrid-mode fix)"
    fi
  done
fi
modprobe overlay 2>/dev/null || true
exit 0
