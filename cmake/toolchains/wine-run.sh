#!/usr/bin/env bash
# wine-run.sh PREFIX PROGRAM.exe [ARGS...]: runs a cross-built program under 64-bit Wine, quietly and
# without a display, in the WINEPREFIX PREFIX. The first caller creates the prefix (wineboot --init)
# under a lock, so tests that CTest starts in parallel never race on a half-made prefix; Mono and
# Gecko are disabled so creation never asks a question.
set -euo pipefail
prefix="$(realpath -m "$1")"  # Wine accepts only an absolute WINEPREFIX
shift

wine="${SILO_WINE:-/usr/lib/wine/wine64}"
[ -x "$wine" ] || wine="$(command -v wine64 || command -v wine)"

export WINEPREFIX="$prefix"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
export DISPLAY=

# The marker, not system.reg, says the prefix is ready: the wineserver writes the registry files
# only when it exits, which a persistent server (wineserver -p) does not do.
ready="$prefix/.silo-prefix-ready"
if [ ! -f "$ready" ]; then
  mkdir -p "$(dirname "$prefix")"
  (
    flock 9
    if [ ! -f "$ready" ]; then
      "$wine" wineboot --init >/dev/null 2>&1
      touch "$ready"
    fi
  ) 9>"$prefix.lock"
fi

exec "$wine" "$@"
