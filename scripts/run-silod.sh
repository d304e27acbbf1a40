#!/usr/bin/env bash
# Sets up and runs silod with its defaults, as README.md gives it: installs the build dependencies,
# builds silod and siloctl (release preset), and runs silod in the foreground with the default data
# root (/var/lib/silo, embedded SQLite) and the default local socket (/run/silo/silod.sock).
# Extra arguments go to silod. Idempotent: a second run rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target silod siloctl
echo "run-silod: siloctl is at $(pwd)/build/release/cli/siloctl (try: siloctl info)"
exec build/release/service/silod "$@"
