// The OCI runtime configuration (config.json) of a process-isolated container, built by a pure
// function from silo's resolved settings, so it is unit-tested without runc. The defaults follow
// Docker's: its capability set, masked and read-only /proc and /sys paths, no new privileges, a
// deny-all device cgroup (runc adds the standard /dev nodes), private pid and mount namespaces, and
// the sandbox's network, ipc and uts namespaces joined by path.
#pragma once

#include "core/model/container_spec.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace silo::engine::runc {

inline constexpr std::string_view kOciVersion = "1.0.2";  // what Debian bookworm's runc 1.1 implements

struct SandboxNamespaces {
  std::string network;  // /proc/<holder>/ns/net
  std::string ipc;
  std::string uts;
};

struct BundleSettings {
  std::filesystem::path rootfs;  // absolute: the overlay silo mounted
  std::vector<std::string> args;
  std::vector<std::string> env;  // complete, "K=V"
  std::string cwd = "/";
  unsigned uid = 0;
  unsigned gid = 0;
  std::vector<unsigned> additional_gids;
  std::string cgroups_path;  // absolute, the same in every hierarchy
  ResourceLimits resources;
  std::vector<MountSpec> mounts;  // host bind mounts
  SandboxNamespaces sandbox;
  long online_cpus = 1;  // for cpu_percent
  // RLIMIT_NOFILE: silod's own hard limit (raising it needs more than the container is given);
  // the soft limit is 1024 or the hard one when lower.
  std::uint64_t nofile_hard = 1024;
  // Docker's system call filter (seccomp_profile.h); false only for an admin's "unconfined".
  bool seccomp = true;
};

nlohmann::json build_oci_config(const BundleSettings& settings);

// Docker's default capability set (CAP_ names), given to root; other users start with none
// effective, as Docker does since 20.10.
const std::vector<std::string>& default_capabilities();

// cpu_weight (1..10000, cgroup v2's cpu.weight) as cgroup v1 cpu.shares (2..262144), the inverse of
// the conversion runc applies on v2.
std::uint64_t shares_from_weight(std::int64_t weight);

}  // namespace silo::engine::runc
