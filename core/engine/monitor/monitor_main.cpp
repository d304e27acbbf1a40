// silo-monitor <config-file>: started by a backend (detached, in its own session) with a ready
// pipe on fd 3. See monitor.h.
#include "core/engine/monitor/monitor.h"

#include <cstdio>

int main(int argc, char** argv) {
  constexpr int kReadyFd = 3;
  if (argc != 2) {
    std::fprintf(stderr, "usage: silo-monitor <config-file>\n(started by silod; not meant to be run by hand)\n");
    return 2;
  }
  auto config = silo::engine::monitor::read_config(argv[1]);
  if (!config) {
    const silo::engine::monitor::ReadyReport report{false, 0, config.error()};
    const std::string line = silo::engine::monitor::encode_ready(report);
    std::fprintf(stderr, "silo-monitor: %s", line.c_str());
    std::FILE* ready = fdopen(kReadyFd, "w");
    if (ready != nullptr) {
      std::fputs(line.c_str(), ready);
      std::fclose(ready);
    }
    return 1;
  }
  return silo::engine::monitor::run_monitor(*config, kReadyFd);
}
