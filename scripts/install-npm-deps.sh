#!/usr/bin/env bash
# Installs the npm packages the contract tests use (openapi lint, response validation) and the SQLite
# amalgamation and zlib of the windows-cross build, exactly as their package-lock.json files pin them.
# Idempotent: when node_modules was installed from the same lock file, nothing is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "install-npm-deps: installing Debian's nodejs and npm"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends nodejs npm
fi

# $1: the folder with package.json and package-lock.json; the rest: extra npm ci flags.
install_locked() {
  local dir="$1"
  shift
  local stamp="$dir/node_modules/.silo-lock-sha256"
  local want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  echo "install-npm-deps: npm ci in $dir"
  npm ci --prefix "$dir" --no-audit --no-fund "$@"
  echo "$want" > "$stamp"
}

install_locked tests/contract
# The C sources of the windows-cross build (cmake/windows-cross-sources/package.json says
# why they come from npm). Their install scripts would fetch or build Node.js addons: never run them.
install_locked cmake/windows-cross-sources --ignore-scripts
