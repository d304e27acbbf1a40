#!/usr/bin/env bash
# Runs a node tool of the contract tests, or skips (exit 77) with the reason when the pinned npm
# packages are not installed: scripts/install-npm-deps.sh installs them, and scripts/test.sh runs it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -f "$here/node_modules/.silo-lock-sha256" ] && [ ! -d "$here/node_modules/@redocly/cli" ]; then
  echo "SKIP: npm packages missing in $here/node_modules; run scripts/install-npm-deps.sh" >&2
  exit 77
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
exec node "$@"
