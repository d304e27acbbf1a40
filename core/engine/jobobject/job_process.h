// Starting a container's (or exec's) process inside its job: stdout and stderr pipes, stdin on
// NUL, the account's environment with the container's laid over it, created suspended, assigned to
// the job, then resumed, so not one instruction runs outside the job's limits. The process gets
// its own process group in the monitor's console, which is what lets the monitor send it
// CTRL_BREAK_EVENT when kernel32's CtrlRoutine is not at hand.
#pragma once

#include "core/engine/jobobject/job_object.h"
#include "core/errors.h"
#include "core/platform/windows/unique_handle.h"

#include <windows.h>

#include <string>
#include <vector>

namespace silo::engine::jobobject {

struct JobProcess {
  platform::windows::UniqueHandle process;
  DWORD pid = 0;
  platform::windows::UniqueHandle stdout_read;
  platform::windows::UniqueHandle stderr_read;
};

struct JobProcessLaunch {
  std::string command_line;
  std::vector<std::string> env;  // laid over the account's environment
  std::string working_dir;
  HANDLE token = nullptr;        // nullptr: the caller's own account (CreateProcess)
};

Result<JobProcess> start_in_job(const JobObject& job, const JobProcessLaunch& launch);

// The environment block for CreateProcess: `base` ("K=V" each) with `overrides` replacing entries
// of the same name (names compare case-insensitively, as Windows does), sorted by name.
std::wstring environment_block(const std::vector<std::wstring>& base, const std::vector<std::string>& overrides);

}  // namespace silo::engine::jobobject
