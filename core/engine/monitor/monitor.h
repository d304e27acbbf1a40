// The monitor's job, start to end: start the process, tell the backend it runs (or why not),
// copy its output into the log, record how it ended. One monitor per container and per exec;
// it outlives silod, which is what lets containers survive a daemon restart.
#pragma once

#include "core/engine/monitor/monitor_config.h"

namespace silo::engine::monitor {

// The line the monitor writes to its ready descriptor: "ok <pid>\n" once the process runs, or
// "error <errc> <message>\n" when it could not start.
struct ReadyReport {
  bool ok = false;
  int pid = 0;
  Error error;
};
std::string encode_ready(const ReadyReport& report);
ReadyReport decode_ready(std::string_view line);

// Runs the whole monitor; the return value is the monitor's own exit code.
int run_monitor(const MonitorConfig& config, int ready_fd);

}  // namespace silo::engine::monitor
