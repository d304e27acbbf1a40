// Processes as the engine sees them: an identity that survives pid reuse, a detached start for
// monitors that must outlive the daemon, and a handle to wait on a process that is not our child.
#pragma once

#include "core/errors.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace silo::platform {

// A pid alone can be reused after the process ends; the pid plus the kernel's start time of the
// process (Linux: clock ticks since boot, /proc/<pid>/stat field 22; Windows: the creation time
// from GetProcessTimes) names one process for good.
struct ProcessIdentity {
  int pid = 0;
  std::uint64_t start_time = 0;

  bool operator==(const ProcessIdentity&) const = default;
};

// The identity of a live process; not_found when no process has that pid.
Result<ProcessIdentity> identify_process(int pid);

// True when the process named by `identity` still runs (a zombie counts as ended).
bool process_alive(const ProcessIdentity& identity);

// The rest of this header is POSIX-only (no Windows body): the job-object backend starts and
// watches its monitors with Win32 process handles.

// Starts `argv` in a new session, reparented away from the caller (double fork), with stdin on
// /dev/null, stdout and stderr appended to `output_file`, and `pass_fd` passed as fd 3.
// Returns once the intermediate child is reaped; the program's own pid arrives through pass_fd.
Result<void> spawn_detached(const std::vector<std::string>& argv, const std::filesystem::path& output_file,
                            int pass_fd);

// A descriptor that becomes readable when the process ends (pidfd, Linux >= 5.3). Works for
// processes that are not our children.
Result<int> open_process_watch(const ProcessIdentity& identity);

// Sends `signal` to the process group `pgid` (the container's main process leads it).
Result<void> signal_process_group(int pgid, int signal);

}  // namespace silo::platform
