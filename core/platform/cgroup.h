// Linux control groups: the Linux stand-in for a Windows job object. A container gets one group
// (one directory per hierarchy on cgroup v1, one directory on v2) that carries its memory, cpu and
// pids limits, counts its usage and lets the engine end every process in it at once.
//
// Hosts come in three shapes: pure v2 (one unified hierarchy), hybrid (v1 controllers plus an
// empty unified mount, as on this CI machine) and pure v1. The unified hierarchy is used when it
// offers memory, pids and cpu at our own cgroup; otherwise the v1 controllers.
#pragma once

#include "core/errors.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace silo::platform {

enum class CgroupVersion { v1, v2 };

// One group, as directories. v2: {"unified": dir}. v1: one entry per controller silo uses
// (memory, pids, cpu, cpuacct); controllers mounted together share a directory.
struct Cgroup {
  CgroupVersion version = CgroupVersion::v2;
  std::map<std::string, std::filesystem::path> dirs;

  // The directory holding `controller`'s files (the unified one on v2).
  std::filesystem::path dir_for(const std::string& controller) const;
  // Each directory once (v1 hierarchies mounted together appear once).
  std::vector<std::filesystem::path> distinct_dirs() const;
  Cgroup child(const std::string& name) const;
};

struct CgroupLimits {
  std::optional<std::int64_t> memory_bytes;
  std::optional<std::int64_t> cpu_quota_us;  // per cpu_period_us; unset: no cap
  std::int64_t cpu_period_us = 100000;
  std::optional<std::int64_t> cpu_weight;  // 1..10000 (v2 cpu.weight); mapped to cpu.shares on v1
  std::optional<std::int64_t> pids_max;
};

struct CgroupUsage {
  std::uint64_t cpu_ns = 0;
  std::uint64_t memory_bytes = 0;
  std::optional<std::uint64_t> memory_limit_bytes;
  std::uint64_t pids_current = 0;
  std::optional<std::uint64_t> pids_limit;
};

// Finds this process's own cgroup and prepares `<own>/<parent_name>` with the memory, pids and
// cpu controllers, as the parent of every container group (on v2 this may move this process into
// the leaf `<own>/silod`, because a group with processes cannot delegate controllers).
// unavailable, with what is missing and what to do, when the host cannot give us that.
Result<Cgroup> prepare_cgroup_parent(const std::string& parent_name);

// Makes the group's directories and writes its limits; on failure removes what it made.
Result<void> create_cgroup(const Cgroup& group, const CgroupLimits& limits);
// Moves process `pid` (0: the caller) into the group.
Result<void> join_cgroup(const Cgroup& group, int pid);
// Every process in the group.
Result<std::vector<int>> cgroup_pids(const Cgroup& group);
// SIGKILLs every process in the group (cgroup.kill on v2 when present), bounded retries until the
// group is empty; failed_precondition when processes remain.
Result<void> kill_cgroup(const Cgroup& group);
// Removes the group's directories; not an error when they are already gone.
Result<void> remove_cgroup(const Cgroup& group);
bool cgroup_exists(const Cgroup& group);

Result<CgroupUsage> read_cgroup_usage(const Cgroup& group);
// How many processes the memory limit's OOM killer ended in this group so far.
std::uint64_t read_oom_kills(const Cgroup& group);

}  // namespace silo::platform
