#!/usr/bin/env bash
# Installs silod and siloctl from a release build and enables the systemd unit.
# Usage: installer/linux/install.sh [BUILD_DIR]   (default: build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build/release}"
[ -x "$build/service/silod" ] || { echo "install: $build/service/silod not found; run: cmake --preset release && cmake --build --preset release" >&2; exit 1; }
install -m 0755 "$build/service/silod" /usr/local/bin/silod
install -m 0755 "$build/cli/siloctl" /usr/local/bin/siloctl
install -D -m 0644 README.md /usr/local/share/doc/silo/README.md
install -m 0644 installer/linux/silod.service /etc/systemd/system/silod.service
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable --now silod.service
  echo "install: silod is running; try: siloctl info"
else
  echo "install: systemd is not running here; start silod by hand: /usr/local/bin/silod"
fi
