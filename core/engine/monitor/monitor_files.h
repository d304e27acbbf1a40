// The files a monitor leaves in its state directory for silod, platform-neutral so the Windows
// backends use the same ones:
//   monitor-pid.json  {"pid":123,"start_time":456}         who the monitor is (pid reuse safe)
//   exit.json         {"exit_code":3,"signal":null,"oom_killed":false,
//                      "finished_at":1700000000000000000,"finished_at_text":"2023-...Z",
//                      "reason":"exited with code 3"}
//   monitor.err       the monitor's own diagnostics
// Both JSON files are written atomically (temp + rename). exit.json is fsync'd: it must outlive a
// host crash until silod records it. monitor-pid.json is not: it names a live process, and after a
// host crash none is (silod keeps the identity it re-adopts by in its database).
#pragma once

#include "core/engine/backend.h"
#include "core/errors.h"
#include "core/platform/container_process.h"
#include "core/platform/process.h"

#include <filesystem>
#include <optional>
#include <string_view>

namespace silo::engine::monitor {

inline constexpr std::string_view kExitFileName = "exit.json";
inline constexpr std::string_view kIdentityFileName = "monitor-pid.json";
inline constexpr std::string_view kMonitorOutputFileName = "monitor.err";

Result<void> write_exit_status(const std::filesystem::path& state_dir, const ExitStatus& status);
// nullopt when the monitor has not recorded an exit (yet).
Result<std::optional<ExitStatus>> read_exit_status(const std::filesystem::path& state_dir);
// The recorded exit, or nullopt when there is none that can be read. For adopt(): writing the
// record is a monitor's last act, so ask before and again after looking whether the monitor lives
// (it may be on its way out at the first look, and gone at the second).
std::optional<ExitStatus> recorded_exit(const std::filesystem::path& state_dir);

Result<void> write_identity(const std::filesystem::path& state_dir, const platform::ProcessIdentity& identity);
Result<platform::ProcessIdentity> read_identity(const std::filesystem::path& state_dir);

// The ExitStatus for a process end, with docker's reasons ("exited with code 3",
// "killed by SIGKILL", "out of memory").
ExitStatus describe_exit(const platform::ProcessEnd& end, bool oom_killed, TimeNs finished_at);

}  // namespace silo::engine::monitor
