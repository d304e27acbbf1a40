#!/usr/bin/env bash
# Installs, from Debian's packages, everything silo needs to build, run and test on Debian bookworm.
# Idempotent: packages already present are left as they are, and apt's lists are refreshed only when
# something is missing.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config
  # the fuzz preset: clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
  # libraries (imported as CMake targets)
  libboost1.81-dev nlohmann-json3-dev libspdlog-dev libssl-dev libsqlite3-dev
  libgtest-dev libgmock-dev libcli11-dev libarchive-dev zlib1g-dev
  # used by tests and benchmarks
  sqlite3 curl procps busybox-static
  # process isolation on Linux (core/engine/runc)
  runc
  # the windows-cross preset: mingw-w64 cross compilers, and Wine to run its tests
  mingw-w64 wine64
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
