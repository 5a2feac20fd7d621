#!/usr/bin/env bash
# Installs `docker compose` as berth compose: cli-plugins/docker-compose, a symlink to scripts/docker-compose-plugin.
# Usage: install-compose-plugin.sh [DIR]   (default: $BERTH_CLI_PLUGINS_DIR when set, else
# /usr/local/lib/docker/cli-plugins as root, else ~/.docker/cli-plugins). BERTH_CLI_PLUGINS_DIR lets a test run
# quickstart's own call into a directory of its own; users do not set it.
# An existing docker-compose plugin that is not berth's is kept aside as docker-compose.orig-berth.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
if [ $# -gt 0 ]; then
  dir=$1
elif [ -n "${BERTH_CLI_PLUGINS_DIR:-}" ]; then
  dir=$BERTH_CLI_PLUGINS_DIR
elif [ "$(id -u)" = 0 ]; then
  dir=/usr/local/lib/docker/cli-plugins
else
  dir="$HOME/.docker/cli-plugins"
fi
mkdir -p "$dir"
target="$dir/docker-compose"
if [ -e "$target" ] && [ "$(readlink -f "$target")" != "$root/scripts/docker-compose-plugin" ]; then
  mv "$target" "$target.orig-berth"
fi
# quiet when it is already in place: quickstart runs this every time
[ "$(readlink "$target" 2>/dev/null)" = "$root/scripts/docker-compose-plugin" ] && exit 0
ln -sfn "$root/scripts/docker-compose-plugin" "$target"
echo "install-compose-plugin: $target -> $root/scripts/docker-compose-plugin"
