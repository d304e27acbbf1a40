#include "core/engine/monitor/monitor_files.h"

#include "core/model/stop_signal.h"
#include "core/platform/atomic_file.h"

#include <nlohmann/json.hpp>

namespace silo::engine::monitor {

using nlohmann::json;

Result<void> write_exit_status(const std::filesystem::path& state_dir, const ExitStatus& status) {
  json value = {{"exit_code", status.exit_code},
                {"signal", status.signal ? json(*status.signal) : json(nullptr)},
                {"oom_killed", status.oom_killed},
                {"finished_at", status.finished_at},
                {"finished_at_text", format_rfc3339(status.finished_at)},
                {"reason", status.reason}};
  return platform::write_file_atomically(state_dir / kExitFileName, value.dump());
}

Result<std::optional<ExitStatus>> read_exit_status(const std::filesystem::path& state_dir) {
  auto text = platform::read_small_file(state_dir / kExitFileName);
  if (!text && text.error().code == Errc::not_found) return std::optional<ExitStatus>{};
  if (!text) return text.error();
  auto value = json::parse(*text, nullptr, false);
  try {
    ExitStatus status;
    status.exit_code = value.at("exit_code").get<int>();
    if (!value.at("signal").is_null()) status.signal = value.at("signal").get<int>();
    status.oom_killed = value.at("oom_killed").get<bool>();
    status.finished_at = value.at("finished_at").get<TimeNs>();
    status.reason = value.at("reason").get<std::string>();
    return std::optional<ExitStatus>{status};
  } catch (const json::exception& e) {
    return make_error(Errc::internal, "exit status " + (state_dir / kExitFileName).string() + " is unreadable: " + e.what());
  }
}

std::optional<ExitStatus> recorded_exit(const std::filesystem::path& state_dir) {
  auto recorded = read_exit_status(state_dir);
  return recorded ? *recorded : std::nullopt;
}

Result<void> write_identity(const std::filesystem::path& state_dir, const platform::ProcessIdentity& identity) {
  json value = {{"pid", identity.pid}, {"start_time", identity.start_time}};
  // Names a live monitor: silod keeps the identity it needs for re-adoption in its own database,
  // and after a host crash no monitor lives, so a lost file reads as the truth ("not running").
  return platform::write_file_atomically(state_dir / kIdentityFileName, value.dump(), platform::Durability::process_crash);
}

Result<platform::ProcessIdentity> read_identity(const std::filesystem::path& state_dir) {
  auto text = platform::read_small_file(state_dir / kIdentityFileName);
  if (!text) return text.error();
  auto value = json::parse(*text, nullptr, false);
  try {
    return platform::ProcessIdentity{value.at("pid").get<int>(), value.at("start_time").get<std::uint64_t>()};
  } catch (const json::exception& e) {
    return make_error(Errc::internal, "monitor identity " + (state_dir / kIdentityFileName).string() + " is unreadable: " + e.what());
  }
}

ExitStatus describe_exit(const platform::ProcessEnd& end, bool oom_killed, TimeNs finished_at) {
  ExitStatus status;
  status.exit_code = end.exit_code;
  status.signal = end.signal;
  status.oom_killed = oom_killed;
  status.finished_at = finished_at;
  if (oom_killed) {
    status.reason = "out of memory";
  } else if (end.signal) {
    status.reason = "killed by " + signal_name(*end.signal);
  } else {
    status.reason = "exited with code " + std::to_string(end.exit_code);
  }
  return status;
}

}  // namespace silo::engine::monitor
