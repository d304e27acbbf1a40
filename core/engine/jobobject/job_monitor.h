// The Windows silo-monitor's work, start to end: create the container's job (or join it, for an
// exec), start the process in it, report "ok <pid>" or the error on the ready pipe, copy stdout
// and stderr into the container log, pass graceful-stop requests on, and record the exit in
// exit.json. It holds the job's only lasting handle, so the container outlives silod and dies with
// its monitor.
#pragma once

#include "core/engine/jobobject/job_monitor_config.h"
#include "core/engine/jobobject/job_object.h"

#include <windows.h>

namespace silo::engine::jobobject {

// The monitor's own exit code. `ready` is the write end of silod's pipe (closed here), `token`
// the account's token or nullptr for silod's own account.
int run_job_monitor(const JobMonitorConfig& config, HANDLE ready, HANDLE token);

// CTRL_SHUTDOWN_EVENT to every process of the job through kernel32!CtrlRoutine on a remote thread,
// as hcsshim does; where kernel32 has no CtrlRoutine (Wine), CTRL_BREAK_EVENT to the main
// process's group in the monitor's console. Returns how it was delivered, for the log.
Result<std::string> send_shutdown(const JobObject& job, DWORD main_pid);

}  // namespace silo::engine::jobobject
