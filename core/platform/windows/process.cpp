// The Windows body of the platform-neutral part of process.h: a process's identity is its pid plus
// its creation time (GetProcessTimes, 100 ns ticks since 1601), which no later process with the
// same pid can share. spawn_detached, open_process_watch and signal_process_group are POSIX-only;
// the job-object backend starts and watches its monitors with Win32 handles instead.
#include "core/platform/process.h"

#include "core/platform/windows/unique_handle.h"
#include "core/platform/windows/win32_error.h"

#include <windows.h>

namespace silo::platform {

namespace {

using windows::UniqueHandle;

std::uint64_t creation_time(HANDLE process) {
  FILETIME created{}, exited{}, kernel{}, user{};
  if (!GetProcessTimes(process, &created, &exited, &kernel, &user)) return 0;
  return (static_cast<std::uint64_t>(created.dwHighDateTime) << 32) | created.dwLowDateTime;
}

}  // namespace

Result<ProcessIdentity> identify_process(int pid) {
  if (pid <= 0) return make_error(Errc::invalid_argument, "no process with pid " + std::to_string(pid));
  UniqueHandle process(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid)));
  if (!process) {
    const DWORD err = GetLastError();
    // A pid nobody has is ERROR_INVALID_PARAMETER.
    if (err == ERROR_INVALID_PARAMETER) return make_error(Errc::not_found, "no process with pid " + std::to_string(pid));
    return windows::win32_error(windows::errc_for_win32(err, Errc::internal), "open process " + std::to_string(pid), err);
  }
  const std::uint64_t created = creation_time(process.get());
  if (created == 0) return windows::last_win32_error("read the creation time of process " + std::to_string(pid));
  return ProcessIdentity{pid, created};
}

bool process_alive(const ProcessIdentity& identity) {
  if (identity.pid <= 0) return false;
  UniqueHandle process(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE, static_cast<DWORD>(identity.pid)));
  if (!process) return false;
  // An ended process keeps its pid while handles to it remain open: it must not count as alive.
  if (WaitForSingleObject(process.get(), 0) != WAIT_TIMEOUT) return false;
  return creation_time(process.get()) == identity.start_time;
}

}  // namespace silo::platform
