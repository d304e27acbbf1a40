#!/usr/bin/env bash
# The Windows half of the test suite: cross-builds the windows-cross preset with mingw-w64 and runs
# its GoogleTest executables under Wine, in a fresh WINEPREFIX inside the build tree, with no display
# and no Wine debug output. CTest runs each test through cmake/toolchains/wine-run.sh, which creates
# the prefix non-interactively on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build/windows-cross
export WINEPREFIX="$PWD/$build_dir/wineprefix"  # the toolchain file's SILO_WINEPREFIX default
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="  # no Mono/Gecko install prompts
export DISPLAY=
wineserver=/usr/lib/wine/wineserver
[ -x "$wineserver" ] || wineserver="$(command -v wineserver)"

rm -rf "$WINEPREFIX" "$WINEPREFIX.lock"
scripts/install-npm-deps.sh  # the SQLite and zlib sources the build compiles
cmake --preset windows-cross
cmake --build --preset windows-cross

# One persistent wineserver for the whole run: otherwise each test's wine process starts its own
# server and waits for the last one to wind down, which costs seconds per test.
# The build's test discovery may have left a short-lived server running: replace it.
mkdir -p "$WINEPREFIX"
"$wineserver" -k 2>/dev/null || true
"$wineserver" -w 2>/dev/null || true
"$wineserver" -p
trap '"$wineserver" -k 2>/dev/null || true' EXIT

# Create the prefix here rather than in the first test, so its cost (20 s on an idle machine, minutes
# on a loaded one) never counts against a test's timeout. wine-run.sh sees the marker and skips it.
wine="/usr/lib/wine/wine64"
[ -x "$wine" ] || wine="$(command -v wine64 || command -v wine)"
echo "windows-cross: creating the Wine prefix $WINEPREFIX"
timeout 900 "$wine" wineboot --init >/dev/null 2>&1
touch "$WINEPREFIX/.silo-prefix-ready"

# Every test but the service tests shares the persistent server.
ctest --preset windows-cross --no-tests=error -E '^(ServiceHost|SilodService)\.'

# The service tests register, start and stop services through Wine's services.exe. Under a persistent
# wineserver the services they register are not found again (OpenServiceW: 1060) or a start hangs;
# with a server per test, as wine-run.sh gives on its own, they behave as the Windows SCM does. So the
# persistent server ends here and they run last.
"$wineserver" -k 2>/dev/null || true
"$wineserver" -w 2>/dev/null || true
ctest --preset windows-cross --no-tests=error -R '^(ServiceHost|SilodService)\.'
