// silo-monitor.exe <config-file> <ready-handle> <token-handle>: started by the job-object backend
// with the write end of its ready pipe and (for a non-inherited account) the logged-on token
// inherited; the handle values arrive as decimal numbers, 0 for none. See job_monitor.h.
#include "core/engine/jobobject/job_monitor.h"
#include "core/engine/monitor/monitor.h"

#include <cstdio>
#include <cstdlib>

namespace {

HANDLE handle_argument(const char* text) {
  return reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(std::strtoull(text, nullptr, 10)));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: silo-monitor <config-file> <ready-handle> <token-handle>\n(started by silod; not meant to be run by hand)\n");
    return 2;
  }
  HANDLE ready = handle_argument(argv[2]);
  HANDLE token = handle_argument(argv[3]);
  auto config = silo::engine::jobobject::read_job_config(argv[1]);
  if (!config) {
    const std::string line = silo::engine::monitor::encode_ready({false, 0, config.error()});
    std::fprintf(stderr, "silo-monitor: %s", line.c_str());
    DWORD written = 0;
    if (ready != nullptr) WriteFile(ready, line.data(), static_cast<DWORD>(line.size()), &written, nullptr);
    return 1;
  }
  return silo::engine::jobobject::run_job_monitor(*config, ready, token);
}
