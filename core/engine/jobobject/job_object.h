// One named job object: JobContainer_<id>, as hcsshim's jobcontainers name theirs. The monitor
// creates it and holds the only long-lived handle (KILL_ON_JOB_CLOSE: if the monitor dies, the
// container dies with it instead of running unwatched); silod opens it by name for stats and
// terminate and closes it again, so the job outlives silod.
#pragma once

#include "core/engine/jobobject/job_limits.h"
#include "core/errors.h"
#include "core/platform/windows/unique_handle.h"

#include <windows.h>

#include <cstdint>
#include <string>
#include <vector>

namespace silo::engine::jobobject {

// "JobContainer_<container id>".
std::wstring job_name_for(const std::string& container_id);

struct JobAccounting {
  std::uint64_t cpu_ns = 0;               // user + kernel time of every process, ended ones included
  std::uint32_t active_processes = 0;
  std::uint32_t total_processes = 0;
  std::uint64_t memory_bytes = 0;         // private bytes of the live processes
  std::uint64_t peak_memory_bytes = 0;    // PeakJobMemoryUsed
  std::uint64_t memory_limit_bytes = 0;   // 0: none
  std::uint32_t process_limit = 0;        // 0: none
  std::uint64_t read_bytes = 0;
  std::uint64_t write_bytes = 0;
};

class JobObject {
 public:
  // Creates the job; conflict when a job of that name exists already (another run of the same
  // container still has it open). The limits are applied before any process joins.
  static Result<JobObject> create(const std::wstring& name, const JobLimits& limits);
  // not_found when no job of that name exists (no process holds it open any more).
  static Result<JobObject> open(const std::wstring& name);

  HANDLE get() const { return handle_.get(); }

  Result<void> assign(HANDLE process) const;
  // Ends every process in the job with `exit_code`.
  Result<void> terminate(unsigned exit_code) const;
  Result<JobAccounting> accounting() const;
  Result<std::vector<DWORD>> process_ids() const;

 private:
  JobObject(platform::windows::UniqueHandle handle, std::string name) : handle_(std::move(handle)), name_(std::move(name)) {}
  Result<void> apply(const JobLimits& limits) const;

  platform::windows::UniqueHandle handle_;
  std::string name_;  // for messages
};

}  // namespace silo::engine::jobobject
