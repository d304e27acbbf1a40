#include "core/engine/runc/oci_spec.h"

#include "core/engine/runc/seccomp_profile.h"

#include <algorithm>

namespace silo::engine::runc {

namespace {

using nlohmann::json;

constexpr std::int64_t kCpuPeriodUs = 100000;

json default_mounts() {
  return json::array({
      {{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}, {"options", {"nosuid", "noexec", "nodev"}}},
      {{"destination", "/dev"},
       {"type", "tmpfs"},
       {"source", "tmpfs"},
       {"options", {"nosuid", "strictatime", "mode=755", "size=65536k"}}},
      {{"destination", "/dev/pts"},
       {"type", "devpts"},
       {"source", "devpts"},
       {"options", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}}},
      {{"destination", "/dev/shm"},
       {"type", "tmpfs"},
       {"source", "shm"},
       {"options", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}}},
      {{"destination", "/dev/mqueue"}, {"type", "mqueue"}, {"source", "mqueue"}, {"options", {"nosuid", "noexec", "nodev"}}},
      {{"destination", "/sys"}, {"type", "sysfs"}, {"source", "sysfs"}, {"options", {"nosuid", "noexec", "nodev", "ro"}}},
      {{"destination", "/sys/fs/cgroup"},
       {"type", "cgroup"},
       {"source", "cgroup"},
       {"options", {"nosuid", "noexec", "nodev", "relatime", "ro"}}},
  });
}

json bind_mounts(const std::vector<MountSpec>& mounts) {
  json result = json::array();
  for (const auto& m : mounts) {
    json options = {"rbind", "rprivate"};
    if (m.read_only) options.push_back("ro");
    result.push_back({{"destination", m.target}, {"type", "bind"}, {"source", m.source}, {"options", options}});
  }
  return result;
}

json resources_of(const ResourceLimits& limits, long online_cpus) {
  json resources = {{"devices", json::array({{{"allow", false}, {"access", "rwm"}}})}};
  if (limits.memory_bytes) {
    // Swap equal to the limit: no swap on top of it, so the limit is what the OOM killer enforces.
    resources["memory"] = {{"limit", *limits.memory_bytes}, {"swap", *limits.memory_bytes}};
  }
  if (limits.cpu_count) {
    resources["cpu"] = {{"quota", *limits.cpu_count * kCpuPeriodUs}, {"period", kCpuPeriodUs}};
  } else if (limits.cpu_percent) {
    const std::int64_t quota = std::max<std::int64_t>(1000, *limits.cpu_percent * std::max(1L, online_cpus) * kCpuPeriodUs / 100);
    resources["cpu"] = {{"quota", quota}, {"period", kCpuPeriodUs}};
  } else if (limits.cpu_weight) {
    resources["cpu"] = {{"shares", shares_from_weight(*limits.cpu_weight)}};
  }
  if (limits.pids_limit) resources["pids"] = {{"limit", *limits.pids_limit}};
  return resources;
}

json namespaces_of(const SandboxNamespaces& sandbox) {
  return json::array({{{"type", "pid"}},
                      {{"type", "mount"}},
                      {{"type", "network"}, {"path", sandbox.network}},
                      {{"type", "ipc"}, {"path", sandbox.ipc}},
                      {{"type", "uts"}, {"path", sandbox.uts}}});
}

json process_of(const BundleSettings& settings) {
  const json all = default_capabilities();
  const json granted = settings.uid == 0 ? all : json::array();
  return {{"terminal", false},
          {"user", {{"uid", settings.uid}, {"gid", settings.gid}, {"additionalGids", settings.additional_gids}}},
          {"args", settings.args},
          {"env", settings.env},
          {"cwd", settings.cwd.empty() ? "/" : settings.cwd},
          {"capabilities", {{"bounding", all}, {"effective", granted}, {"permitted", granted}}},
          {"rlimits", json::array({{{"type", "RLIMIT_NOFILE"},
                                    {"soft", std::min<std::uint64_t>(1024, settings.nofile_hard)},
                                    {"hard", settings.nofile_hard}}})},
          {"noNewPrivileges", true}};
}

}  // namespace

const std::vector<std::string>& default_capabilities() {
  static const std::vector<std::string> caps = {
      "CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",           "CAP_MKNOD",      "CAP_NET_RAW", "CAP_SETGID",
      "CAP_SETUID", "CAP_SETFCAP",      "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",    "CAP_AUDIT_WRITE"};
  return caps;
}

std::uint64_t shares_from_weight(std::int64_t weight) {
  const std::int64_t clamped = std::clamp<std::int64_t>(weight, 1, 10000);
  return static_cast<std::uint64_t>(2 + ((clamped - 1) * 262142) / 9999);
}

nlohmann::json build_oci_config(const BundleSettings& settings) {
  json mounts = default_mounts();
  for (auto& m : bind_mounts(settings.mounts)) mounts.push_back(std::move(m));
  json config = {
      {"ociVersion", kOciVersion},
      {"process", process_of(settings)},
      {"root", {{"path", settings.rootfs.string()}, {"readonly", false}}},
      {"mounts", mounts},
      {"linux",
       {{"cgroupsPath", settings.cgroups_path},
        {"resources", resources_of(settings.resources, settings.online_cpus)},
        {"namespaces", namespaces_of(settings.sandbox)},
        {"maskedPaths",
         {"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
          "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap"}},
        {"readonlyPaths", {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}}}},
  };
  if (settings.seccomp) config["linux"]["seccomp"] = default_seccomp_profile();
  return config;
}

}  // namespace silo::engine::runc
