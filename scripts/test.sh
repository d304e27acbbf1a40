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

# Fuzzing: the fuzz preset builds only the libFuzzer targets with clang (ASan+UBSan), and CTest runs
# each for SILO_FUZZ_SECONDS (30 s by default; under three minutes in all) from the seeds in tests/fuzz/corpus.
cmake --preset fuzz
cmake --build --preset fuzz
ctest --preset fuzz --no-tests=error

# Windows: the windows-cross preset (mingw-w64) and its tests under Wine, in a fresh WINEPREFIX.
scripts/windows-cross-test.sh
