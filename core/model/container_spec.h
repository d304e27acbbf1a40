// What a client asks for when it creates a container (the body of POST /v1/containers), and its
// shape validation. Validation here is platform-neutral and needs nothing but the spec: whether a
// user exists, a layer exists or the host has enough CPUs is checked later, by the store and the
// backend. The HostProcess placement rules live in hostprocess_rules.h.
#pragma once

#include "core/errors.h"
#include "core/model/records.h"
#include "core/model/spec_limits.h"
#include "core/model/validation.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace silo {

// Unset fields mean "no limit". cpu_count, cpu_percent and cpu_weight are mutually exclusive, as
// they are in HCS (Container.Processor) and hcsshim; silo enforces it on every platform so a spec
// behaves the same on Linux and Windows.
struct ResourceLimits {
  std::optional<std::int64_t> cpu_count;
  std::optional<std::int64_t> cpu_percent;  // 1..100 percent of the host's (or VM's) CPU time
  std::optional<std::int64_t> cpu_weight;   // 1..10000 relative weight
  std::optional<std::int64_t> memory_bytes;
  std::optional<std::int64_t> pids_limit;

  bool operator==(const ResourceLimits&) const = default;
};

struct MountSpec {
  std::string source;  // absolute host path, or a named pipe \\.\pipe\name
  std::string target;  // absolute path in the container, or a named pipe
  bool read_only = false;

  bool operator==(const MountSpec&) const = default;
};

struct LogOptions {
  std::int64_t max_size_bytes = kDefaultLogMaxSizeBytes;
  std::int64_t max_files = kDefaultLogMaxFiles;

  bool operator==(const LogOptions&) const = default;
};

struct ContainerSpec {
  std::string name;                    // empty: the service picks one
  std::optional<Isolation> isolation;  // unset: the sandbox's isolation (process for an implicit one)
  std::string sandbox;                 // id, id prefix or name; empty: the container gets its own
  std::optional<std::string> layer;    // top layer id (or unique prefix)
  std::vector<std::string> command;    // argv; required
  std::vector<std::string> env;        // "K=V"
  std::string working_dir;             // empty: the image/backend default
  std::string user;                    // empty: the backend default
  StringMap labels;
  StringMap annotations;
  ResourceLimits resources;
  std::vector<MountSpec> mounts;
  std::int64_t stop_timeout_seconds = kDefaultStopTimeoutSeconds;
  std::string stop_signal = "SIGTERM";  // a name (SIGTERM) or a number ("15")
  LogOptions log;
  SeccompProfile seccomp = SeccompProfile::default_profile;

  bool operator==(const ContainerSpec&) const = default;
};

// Checks every field against `limits`; the first violation is returned as invalid_argument with a
// message naming the field, the value and the limit or allowed set.
Result<void> validate_container_spec(const ContainerSpec& spec, const SpecLimits& limits = {},
                                     const validation::Limits& map_limits = {});

// The parts of validate_container_spec, for callers that check one piece (and for tests).
Result<void> validate_command(const std::vector<std::string>& command, const SpecLimits& limits = {});
Result<void> validate_env(const std::vector<std::string>& env, const SpecLimits& limits = {});
Result<void> validate_user(std::string_view user, const SpecLimits& limits = {});
Result<void> validate_resources(const ResourceLimits& resources, const SpecLimits& limits = {});
Result<void> validate_mounts(const std::vector<MountSpec>& mounts, const SpecLimits& limits = {});
Result<void> validate_log_options(const LogOptions& log, const SpecLimits& limits = {});

}  // namespace silo
