// What the Windows silo-monitor runs: written by the job-object backend into the state directory
// (job-monitor-config.json), read by the monitor at start. Execs copy the container's record.
#pragma once

#include "core/engine/jobobject/job_limits.h"
#include "core/errors.h"
#include "core/logs/log_writer.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace silo::engine::jobobject {

struct JobMonitorConfig {
  bool exec = false;                 // false: create the job; true: join the container's job
  std::string container_id;
  std::filesystem::path state_dir;   // logs, exit status and identity files go here
  JobLimits limits;                  // applied when the job is created
  std::string command_line;          // what CreateProcess gets, "cmd /c ..." already prefixed
  std::vector<std::string> env;      // "K=V", laid over the account's own environment
  std::string working_dir;
  logs::LogWriterOptions log;
};

inline constexpr std::string_view kJobConfigFileName = "job-monitor-config.json";
// Created by silod's terminate() before it ends the job, so the monitor reports SIGKILL
// (exit code 137, docker's rule) rather than the code TerminateJobObject left.
inline constexpr std::string_view kTerminatedMarkerName = "terminated";

Result<void> write_job_config(const JobMonitorConfig& config);
Result<JobMonitorConfig> read_job_config(const std::filesystem::path& file);

// The named events a container's monitor waits on: silod sets one to ask for a graceful stop.
std::wstring shutdown_event_name(const std::string& container_id);

}  // namespace silo::engine::jobobject
