#!/usr/bin/env bash
# Installs the npm packages the contract tests use (openapi lint, response validation), exactly as
# tests/contract/package-lock.json pins them. Idempotent: when node_modules was installed from the
# same lock file, nothing is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "install-npm-deps: installing Debian's nodejs and npm"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends nodejs npm
fi

dir=tests/contract
stamp="$dir/node_modules/.silo-lock-sha256"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "install-npm-deps: npm ci in $dir"
npm ci --prefix "$dir" --no-audit --no-fund
echo "$want" > "$stamp"
