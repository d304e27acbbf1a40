// What silo-monitor is told to run: written by the backend as JSON into the state directory
// (monitor-config.json), read by the monitor at start. Also the record execs read to inherit the
// container's environment and user.
#pragma once

#include "core/errors.h"
#include "core/logs/log_writer.h"
#include "core/platform/container_process.h"

#include <filesystem>
#include <optional>
#include <string>

namespace silo::engine::monitor {

enum class Mode { container, exec };

struct MonitorConfig {
  Mode mode = Mode::container;
  std::filesystem::path state_dir;  // logs, exit status and identity files go here
  platform::ProcessLaunch launch;
  std::optional<platform::Cgroup> watched_cgroup;  // counted for OOM kills; emptied when the main process ends
  std::optional<platform::Cgroup> monitor_cgroup;  // where the monitor itself lives (not the container's)
  logs::LogWriterOptions log;
  // The program reports a signal death of what it runs as exit code 128+N (runc run, runc exec):
  // such a code is recorded as killed by signal N.
  bool exit_code_carries_signal = false;
};

inline constexpr std::string_view kConfigFileName = "monitor-config.json";

Result<void> write_config(const MonitorConfig& config);
Result<MonitorConfig> read_config(const std::filesystem::path& file);

}  // namespace silo::engine::monitor
