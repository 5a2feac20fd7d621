# Sourced by bench scripts that measure podman as a peer of berth, in the same run.
#   podman_peer_setup WORK IMAGE_TAR  installs Debian's podman if it is missing, gives it a store of its own under
#                                     WORK and a run root on /run, loads IMAGE_TAR (berth's own busybox, from
#                                     `berth save`: there is no registry here) as busybox:latest, and sets PODMAN
#                                     (the command line to use, an array) and PODMAN_NET_NONE (--network none).
#   podman_peer_cleanup               removes its containers, store and run root, and the podman0 bridge when this
#                                     run made it; refuses to rm -rf through a mount podman left behind.
# podman runs as dockerd and berthd do here: as root, cgroupfs (no systemd on this machine), its events in a file.
# Its default rlimits (nofile 1048576, nproc max) exceed this host's hard limits, which crun may not raise without
# CAP_SYS_RESOURCE: containers.conf lowers them (berth asks for the host's hard nofile and no nproc).

podman_peer_setup() {
  local work=$1 image_tar=$2
  if ! command -v podman >/dev/null; then
    echo "bench: installing podman (Debian's package)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman >/dev/null || {
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman >/dev/null; }
  fi
  PODMAN_WORK=$work/podman
  PODMAN_RUNROOT=/run/berth-bench-podman-$$
  PODMAN_HAD_BRIDGE=0
  ip link show podman0 >/dev/null 2>&1 && PODMAN_HAD_BRIDGE=1
  mkdir -p "$PODMAN_WORK"
  printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n' >"$PODMAN_WORK/containers.conf"
  export CONTAINERS_CONF=$PODMAN_WORK/containers.conf
  PODMAN=(podman --root "$PODMAN_WORK/root" --runroot "$PODMAN_RUNROOT" --tmpdir "$PODMAN_RUNROOT/tmp"
    --cgroup-manager cgroupfs --events-backend file --network-backend netavark)
  PODMAN_NET_NONE=--network=none
  "${PODMAN[@]}" load -q -i "$image_tar" >/dev/null
  "${PODMAN[@]}" run --rm busybox true # the peer works, on its default network too, before anything is timed
  echo "bench: $(podman --version), store $PODMAN_WORK/root"
}

podman_peer_cleanup() {
  [ -n "${PODMAN_WORK:-}" ] || return 0
  "${PODMAN[@]}" rm -fa -t 0 >/dev/null 2>&1 || true
  "${PODMAN[@]}" system reset -f >/dev/null 2>&1 || true
  if [ $PODMAN_HAD_BRIDGE = 0 ] && ip link show podman0 >/dev/null 2>&1; then ip link del podman0 || true; fi
  if grep -qE " ($PODMAN_WORK|$PODMAN_RUNROOT)[/ ]" /proc/self/mountinfo; then
    echo "bench: mounts left under $PODMAN_WORK or $PODMAN_RUNROOT: not removed" >&2
    return 1
  fi
  rm -rf "$PODMAN_WORK" "$PODMAN_RUNROOT"
  PODMAN_WORK=
}
