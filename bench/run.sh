#!/usr/bin/env bash
# Builds the benchmark programs in the release preset and runs each, printing its table of figures
# against its raw baseline. SILO_BENCH_BUILD_DIR runs already built binaries from another folder
# instead (for example a build configured with -DCMAKE_BUILD_TYPE=RelWithDebInfo elsewhere).
# Benchmarks share the machine: the load average is printed with the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir="${SILO_BENCH_BUILD_DIR:-}"
if [ -z "$build_dir" ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target store_bench api_bench container_bench layer_bench silod baseline_beast_server
  build_dir=build/release
  cmake --build --preset release --target tls_bench
fi

echo "== store_bench: acknowledged state changes/s, silo_storage vs raw sqlite3 (load: $(cut -d' ' -f1-3 /proc/loadavg))"
"$build_dir/bench/store_bench"
echo
echo "== tls_bench: GET /v1/version over mutual TLS (keep-alive, resumed, full handshake) vs the unix socket"
"$build_dir/bench/tls_bench"
echo
echo "== api_bench: GET /v1/version and /v1/info, silod vs a bare Beast server"
"$build_dir/bench/api_bench"
echo
echo "== container_bench: /bin/true to completion through silod vs fork+exec and fork+exec into a fresh cgroup; silod VmRSS"
"$build_dir/bench/container_bench"
echo
echo "== layer_bench: layer import through silod vs tar -x of the same file"
"$build_dir/bench/layer_bench"
