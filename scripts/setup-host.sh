#!/usr/bin/env bash
# Installs what berth needs on a Debian host and fixes the cgroup quirk crun trips over. Idempotent.
set -euo pipefail
say() { echo "setup: $*" >&2; }

if [ "$(id -u)" != 0 ]; then
  say "berth needs root (it mounts overlayfs, creates cgroups and namespaces); run as root"; exit 1
fi

# The checks below cost a few ms: with everything present the script prints nothing and installs nothing.
# A check is a command name, an absolute path (packages whose binaries live off PATH) or dpkg:PACKAGE.
present() { # check
  case $1 in
    /*) [ -x "$1" ] ;;
    dpkg:*) dpkg-query -W -f='${Status}' "${1#dpkg:}" 2>/dev/null | grep -q 'ok installed' ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}
need=() # installed with Recommends, as they always were
for pair in crun:crun runc:runc conmon:conmon busybox:busybox-static tini:tini catatonit:catatonit \
            iptables:iptables hyperfine:hyperfine tmux:tmux mvn:maven \
            skopeo:skopeo docker-registry:docker-registry script:bsdutils curl:curl strace:strace; do
  present "${pair%%:*}" || need+=("${pair##*:}")
done
# busybox must be the static build: it is copied into images that have no libc.
if command -v busybox >/dev/null && ! file -L "$(command -v busybox)" 2>/dev/null | grep -q static; then
  dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
fi
command -v file >/dev/null 2>&1 || need+=(file)
# Networks and the tools their tests use, without Recommends: docker-compose would otherwise bring docker.io,
# a second engine (dockerd, containerd) with its own bridge and iptables rules beside berthd's.
bare=()
for pair in /usr/lib/podman/netavark:netavark /usr/lib/podman/aardvark-dns:aardvark-dns nft:nftables ip:iproute2 \
            debootstrap:debootstrap iperf3:iperf3 dpkg:python3-docker:python3-docker docker-compose:docker-compose \
            dpkg:libdeflate0:libdeflate0; do
  present "${pair%:*}" || bare+=("${pair##*:}")
done
if [ ${#need[@]} -gt 0 ] || [ ${#bare[@]} -gt 0 ]; then
  say "installing $(echo "${need[*]} ${bare[*]}" | xargs)"
  # No question may stop an unattended run: debconf answers with defaults (iperf3's "start a daemon?" is no),
  # dpkg keeps changed config files, needrestart stays silent.
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
  install=(apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  # apt's chatter (debconf's "delaying package configuration" and the like) is shown only when it fails.
  { apt-get update -qq &&
    { [ ${#need[@]} -eq 0 ] || "${install[@]}" "${need[@]}"; } &&
    { [ ${#bare[@]} -eq 0 ] || "${install[@]}" --no-install-recommends "${bare[@]}"; }
  } >"$log" 2>&1 || { cat "$log" >&2; say "installing packages failed"; exit 1; }
fi

# Containers on a bridge reach the outside through the host's routing. netavark turns forwarding on itself
# when it sets a network up; doing it here too makes a host that forwards the state berth starts from.
# br_netfilter is not loaded: netavark filters routed traffic in FORWARD and POSTROUTING only and never reads
# net.bridge.* (Docker needs the module for --icc=false, which berth does not offer).
# Written to /proc directly: sysctl comes with procps, which a minimal system may lack.
if [ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ]; then
  echo 1 >/proc/sys/net/ipv4/ip_forward && say "enabled IPv4 forwarding (net.ipv4.ip_forward=1)"
fi
if [ -e /proc/sys/net/ipv6/conf/all/forwarding ] && [ "$(cat /proc/sys/net/ipv6/conf/all/forwarding)" != 1 ]; then
  # A forwarding host ignores router advertisements unless accept_ra=2: keep the routes learned from them.
  for dev in $(ip -6 route show default proto ra 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1)}' | sort -u); do
    echo 2 >"/proc/sys/net/ipv6/conf/$dev/accept_ra"
  done
  echo 1 >/proc/sys/net/ipv6/conf/all/forwarding && say "enabled IPv6 forwarding (net.ipv6.conf.all.forwarding=1)"
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
