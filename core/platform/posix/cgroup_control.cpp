// Creating, filling, emptying and removing one group.
#include "core/platform/cgroup.h"
#include "core/platform/posix/cgroup_files.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <thread>

namespace silo::platform {

namespace {

using cgroup_files::write_value;

Result<void> write_v1_limits(const Cgroup& group, const CgroupLimits& limits) {
  const auto memory = group.dir_for("memory");
  if (limits.memory_bytes) {
    SILO_TRY(write_value(memory / "memory.limit_in_bytes", std::to_string(*limits.memory_bytes)));
    // Without this the limit only moves the excess to swap; the OOM killer is what users expect.
    if (std::filesystem::exists(memory / "memory.memsw.limit_in_bytes")) {
      SILO_TRY(write_value(memory / "memory.memsw.limit_in_bytes", std::to_string(*limits.memory_bytes)));
    }
  }
  const auto cpu = group.dir_for("cpu");
  if (limits.cpu_quota_us) {
    SILO_TRY(write_value(cpu / "cpu.cfs_period_us", std::to_string(limits.cpu_period_us)));
    SILO_TRY(write_value(cpu / "cpu.cfs_quota_us", std::to_string(*limits.cpu_quota_us)));
  }
  if (limits.cpu_weight) {
    // runc's mapping between cpu.weight (1..10000) and cpu.shares (2..262144), inverted.
    const auto shares = 2 + ((*limits.cpu_weight - 1) * 262142) / 9999;
    SILO_TRY(write_value(cpu / "cpu.shares", std::to_string(shares)));
  }
  if (limits.pids_max) SILO_TRY(write_value(group.dir_for("pids") / "pids.max", std::to_string(*limits.pids_max)));
  return {};
}

Result<void> write_v2_limits(const Cgroup& group, const CgroupLimits& limits) {
  const auto dir = group.dir_for("unified");
  if (limits.memory_bytes) {
    SILO_TRY(write_value(dir / "memory.max", std::to_string(*limits.memory_bytes)));
    if (std::filesystem::exists(dir / "memory.swap.max")) SILO_TRY(write_value(dir / "memory.swap.max", "0"));
  }
  if (limits.cpu_quota_us) {
    SILO_TRY(write_value(dir / "cpu.max", std::to_string(*limits.cpu_quota_us) + " " + std::to_string(limits.cpu_period_us)));
  }
  if (limits.cpu_weight) SILO_TRY(write_value(dir / "cpu.weight", std::to_string(*limits.cpu_weight)));
  if (limits.pids_max) SILO_TRY(write_value(dir / "pids.max", std::to_string(*limits.pids_max)));
  return {};
}

void pause_briefly() { std::this_thread::sleep_for(std::chrono::milliseconds(10)); }

}  // namespace

std::filesystem::path Cgroup::dir_for(const std::string& controller) const {
  if (version == CgroupVersion::v2) return dirs.begin()->second;
  auto found = dirs.find(controller);
  return found == dirs.end() ? std::filesystem::path{} : found->second;
}

std::vector<std::filesystem::path> Cgroup::distinct_dirs() const {
  std::vector<std::filesystem::path> unique;
  for (const auto& [controller, dir] : dirs) {
    if (std::find(unique.begin(), unique.end(), dir) == unique.end()) unique.push_back(dir);
  }
  return unique;
}

Cgroup Cgroup::child(const std::string& name) const {
  Cgroup result{version, {}};
  for (const auto& [controller, dir] : dirs) result.dirs[controller] = dir / name;
  return result;
}

Result<void> create_cgroup(const Cgroup& group, const CgroupLimits& limits) {
  if (group.dirs.empty()) return make_error(Errc::internal, "a cgroup without directories");
  for (const auto& dir : group.distinct_dirs()) {
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      const int err = errno;
      (void)remove_cgroup(group);
      return errno_error(Errc::unavailable, "create cgroup " + dir.string(), err);
    }
  }
  auto written = group.version == CgroupVersion::v2 ? write_v2_limits(group, limits) : write_v1_limits(group, limits);
  if (!written) {
    (void)remove_cgroup(group);
    return make_error(Errc::invalid_argument, "cannot apply the resource limits: " + written.error().message);
  }
  return {};
}

Result<void> join_cgroup(const Cgroup& group, int pid) {
  const std::string text = std::to_string(pid == 0 ? ::getpid() : pid);
  for (const auto& dir : group.distinct_dirs()) SILO_TRY(write_value(dir / "cgroup.procs", text));
  return {};
}

Result<std::vector<int>> cgroup_pids(const Cgroup& group) {
  const auto file = group.dir_for("pids") / "cgroup.procs";
  std::ifstream in(file);
  if (!in) return errno_error(errno == ENOENT ? Errc::not_found : Errc::internal, "read " + file.string(), errno);
  std::vector<int> pids;
  for (int pid = 0; in >> pid;) pids.push_back(pid);
  return pids;
}

Result<void> kill_cgroup(const Cgroup& group) {
  const auto kill_file = group.dir_for("unified") / "cgroup.kill";
  const bool has_kill_file = group.version == CgroupVersion::v2 && std::filesystem::exists(kill_file);
  // Processes may fork while we kill; each round catches the new ones. 500 rounds of 10 ms bound
  // the wait at about five seconds.
  for (int round = 0; round < 500; ++round) {
    auto pids = cgroup_pids(group);
    if (!pids && pids.error().code == Errc::not_found) return {};
    if (!pids) return pids.error();
    if (pids->empty()) return {};
    if (has_kill_file && round == 0) {
      SILO_TRY(write_value(kill_file, "1"));
    } else if (!has_kill_file) {
      for (int pid : *pids) ::kill(pid, SIGKILL);
    }
    pause_briefly();
  }
  return make_error(Errc::failed_precondition, "processes remain in cgroup " + group.dir_for("pids").string() +
                                                   " after SIGKILL; they may be stuck in uninterruptible sleep");
}

Result<void> remove_cgroup(const Cgroup& group) {
  for (const auto& dir : group.distinct_dirs()) {
    // A group empties a moment after its last process is reaped; retry EBUSY for about a second.
    int attempt = 0;
    while (::rmdir(dir.c_str()) != 0) {
      const int err = errno;
      if (err == ENOENT) break;
      if (err != EBUSY || ++attempt >= 100) return errno_error(Errc::failed_precondition, "remove cgroup " + dir.string(), err);
      pause_briefly();
    }
  }
  return {};
}

bool cgroup_exists(const Cgroup& group) {
  for (const auto& dir : group.distinct_dirs()) {
    if (std::filesystem::exists(dir)) return true;
  }
  return false;
}

Result<CgroupUsage> read_cgroup_usage(const Cgroup& group) {
  using namespace cgroup_files;
  CgroupUsage usage;
  if (group.version == CgroupVersion::v2) {
    const auto dir = group.dir_for("unified");
    if (!std::filesystem::exists(dir)) return make_error(Errc::not_found, "cgroup " + dir.string() + " does not exist");
    usage.cpu_ns = read_keyed(dir / "cpu.stat", "usage_usec").value_or(0) * 1000;
    usage.memory_bytes = read_number_or_zero(dir / "memory.current");
    auto limit = read_limit(dir / "memory.max");
    if (limit) usage.memory_limit_bytes = *limit;
    usage.pids_current = read_number_or_zero(dir / "pids.current");
    auto pids_limit = read_limit(dir / "pids.max");
    if (pids_limit) usage.pids_limit = *pids_limit;
    return usage;
  }
  if (!std::filesystem::exists(group.dir_for("pids"))) {
    return make_error(Errc::not_found, "cgroup " + group.dir_for("pids").string() + " does not exist");
  }
  usage.cpu_ns = read_number_or_zero(group.dir_for("cpuacct") / "cpuacct.usage");
  usage.memory_bytes = read_number_or_zero(group.dir_for("memory") / "memory.usage_in_bytes");
  auto limit = read_limit(group.dir_for("memory") / "memory.limit_in_bytes");
  if (limit) usage.memory_limit_bytes = *limit;
  usage.pids_current = read_number_or_zero(group.dir_for("pids") / "pids.current");
  auto pids_limit = read_limit(group.dir_for("pids") / "pids.max");
  if (pids_limit) usage.pids_limit = *pids_limit;
  return usage;
}

std::uint64_t read_oom_kills(const Cgroup& group) {
  if (group.version == CgroupVersion::v2) {
    return cgroup_files::read_keyed(group.dir_for("unified") / "memory.events", "oom_kill").value_or(0);
  }
  const auto memory = group.dir_for("memory");
  auto kills = cgroup_files::read_keyed(memory / "memory.oom_control", "oom_kill");
  // Kernels before 4.13 have no oom_kill counter in v1; failcnt counts hits of the limit instead.
  return kills ? *kills : cgroup_files::read_number_or_zero(memory / "memory.failcnt");
}

}  // namespace silo::platform
