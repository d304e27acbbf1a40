#include "core/engine/runc/sandbox_holders.h"

#include "core/engine/monitor/monitor_files.h"
#include "core/engine/runc/detached_start.h"
#include "core/platform/process.h"

#include <signal.h>

#include <fstream>
#include <system_error>

namespace silo::engine::runc {

namespace {

std::string ns_path(int pid, const char* kind) { return "/proc/" + std::to_string(pid) + "/ns/" + kind; }

bool has_members(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_directory(dir / "members", ec) && !std::filesystem::is_empty(dir / "members", ec);
}

}  // namespace

SandboxHolders::SandboxHolders(std::filesystem::path root, std::filesystem::path holder_path,
                               std::chrono::milliseconds start_timeout)
    : root_(std::move(root)), holder_path_(std::move(holder_path)), start_timeout_(start_timeout) {}

Result<int> SandboxHolders::start_holder(const std::filesystem::path& dir, const std::string& hostname) {
  auto pid = start_detached({holder_path_.string(), hostname}, dir / "holder.err", start_timeout_);
  if (!pid) return pid.error();
  auto identity = platform::identify_process(*pid);
  if (!identity) return identity.error();
  // The holder file shares the monitor's identity format (pid + start time, written atomically).
  if (auto written = monitor::write_identity(dir, *identity); !written) {
    ::kill(*pid, SIGKILL);
    return written.error();
  }
  return *pid;
}

Result<int> SandboxHolders::live_holder(const std::filesystem::path& dir, const std::string& hostname) {
  if (auto identity = monitor::read_identity(dir); identity && platform::process_alive(*identity)) return identity->pid;
  return start_holder(dir, hostname);
}

Result<SandboxNamespaces> SandboxHolders::join(const std::string& sandbox_id, const std::string& hostname,
                                               const std::string& container_id) {
  std::lock_guard lock(mutex_);
  const auto dir = root_ / sandbox_id;
  std::error_code ec;
  const bool existed = std::filesystem::exists(dir, ec);
  std::filesystem::create_directories(dir / "members", ec);
  if (ec) return make_error(Errc::internal, "create " + (dir / "members").string() + ": " + ec.message());
  auto pid = live_holder(dir, hostname);
  if (!pid) {
    if (!existed) std::filesystem::remove_all(dir, ec);
    return make_error(pid.error().code, "sandbox " + sandbox_id + ": " + pid.error().message);
  }
  std::ofstream(dir / "members" / container_id).close();
  return SandboxNamespaces{ns_path(*pid, "net"), ns_path(*pid, "ipc"), ns_path(*pid, "uts")};
}

Result<void> SandboxHolders::leave(const std::string& sandbox_id, const std::string& container_id) {
  std::lock_guard lock(mutex_);
  const auto dir = root_ / sandbox_id;
  std::error_code ec;
  std::filesystem::remove(dir / "members" / container_id, ec);
  if (has_members(dir) || !std::filesystem::exists(dir, ec)) return {};
  if (auto identity = monitor::read_identity(dir); identity && platform::process_alive(*identity)) {
    if (::kill(identity->pid, SIGKILL) != 0 && errno != ESRCH) {
      return errno_error(Errc::internal, "end the holder of sandbox " + sandbox_id, errno);
    }
  }
  std::filesystem::remove_all(dir, ec);
  if (ec) return make_error(Errc::internal, "remove " + dir.string() + ": " + ec.message());
  return {};
}

}  // namespace silo::engine::runc
