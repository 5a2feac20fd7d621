#!/usr/bin/env bash
# ./berth quickstart: set up the host, build, start berthd, make busybox:latest, run a container.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/env.sh"
"$BERTH_ROOT/scripts/setup-host.sh"
ensure_built
"$BERTH_ROOT/scripts/install-compose-plugin.sh" # `docker compose` runs berth compose
sock=${BERTH_SOCKET:-/run/berth/berth.sock}
log=${BERTH_LOG:-/var/log/berth/berthd.log}
export BERTH_HOST="unix://$sock"
if ! "$BERTH_ROOT/berth" version >/dev/null 2>&1; then
  mkdir -p "$(dirname "$log")"
  BERTHD_AOT=train "$BERTH_ROOT/berthd" # once per build: the AOT cache that halves berthd's start
  echo "quickstart: starting berthd (socket $sock, data /var/lib/berth, log $log)"
  setsid nohup "$BERTH_ROOT/berthd" --host "unix://$sock" >>"$log" 2>&1 < /dev/null &
  for _ in $(seq 1 100); do [ -S "$sock" ] && "$BERTH_ROOT/berth" version >/dev/null 2>&1 && break; sleep 0.2; done
  "$BERTH_ROOT/berth" version >/dev/null || { echo "quickstart: berthd did not come up; see $log" >&2; exit 1; }
fi
if ! "$BERTH_ROOT/berth" image inspect busybox:latest >/dev/null 2>&1; then
  echo "quickstart: creating busybox:latest from the host's busybox-static"
  "$BERTH_ROOT/berth" image make-busybox busybox:latest
fi
echo "quickstart: berth run --name quickstart-$$ busybox echo hello from a berth container"
"$BERTH_ROOT/berth" run --name quickstart-$$ busybox echo "hello from a berth container"
"$BERTH_ROOT/berth" ps -a
"$BERTH_ROOT/berth" rm quickstart-$$ >/dev/null
"$BERTH_ROOT/berth" images
