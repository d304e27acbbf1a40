#!/usr/bin/env bash
# The whole test suite, as README.md gives it: installs what the tests need, builds, runs every test.
# SILO_PRESET picks the CMake preset (default: debug; asan and release work the same way).
set -euo pipefail
cd "$(dirname "$0")/.."

preset="${SILO_PRESET:-debug}"
scripts/install-deps.sh
scripts/install-npm-deps.sh
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset" --no-tests=error
