// Every bound a container or sandbox spec must stay within, with its default in one place. The
// validators name the limit in their messages, so a user sees the rule they broke.
#pragma once

#include <cstddef>
#include <cstdint>

namespace silo {

inline constexpr std::int64_t kKiB = 1024;
inline constexpr std::int64_t kMiB = 1024 * kKiB;
inline constexpr std::int64_t kGiB = 1024 * kMiB;
inline constexpr std::int64_t kTiB = 1024 * kGiB;

struct SpecLimits {
  // command: argv as given, the first element is the program.
  std::size_t command_args_max = 256;
  std::size_t command_total_bytes_max = 128 * 1024;
  // env: "K=V" entries.
  std::size_t env_entries_max = 1024;
  std::size_t env_total_bytes_max = 256 * 1024;
  // Paths (working dir, mount source and target, rootfs location). 4096 is Linux's PATH_MAX and
  // well above Windows' 32767-character extended paths in practice for container layouts.
  std::size_t path_bytes_max = 4096;
  // "name", "uid", "uid:gid", "DOMAIN\name": Windows caps a domain at 15 and an account at 256.
  std::size_t user_bytes_max = 256;
  // sandbox reference (id prefix or name) and layer id.
  std::size_t reference_bytes_max = 128;

  // resources. The host check (more CPUs than the host has) happens in the backend.
  std::int64_t cpu_count_max = 1024;
  std::int64_t cpu_percent_max = 100;
  std::int64_t cpu_weight_max = 10000;       // HCS Processor.Weight range
  std::int64_t memory_bytes_min = 6 * kMiB;  // docker's minimum
  std::int64_t memory_bytes_max = kTiB;
  std::int64_t pids_limit_max = 4194304;  // Linux PID_MAX_LIMIT

  std::size_t mounts_max = 128;

  std::int64_t stop_timeout_seconds_max = 3600;

  std::int64_t log_max_size_bytes_min = 4 * kKiB;
  std::int64_t log_max_size_bytes_max = kGiB;
  std::int64_t log_max_files_max = 100;
};

// Defaults applied when the request leaves a field out.
inline constexpr std::int64_t kDefaultStopTimeoutSeconds = 10;
inline constexpr std::int64_t kDefaultLogMaxSizeBytes = 10 * kMiB;
inline constexpr std::int64_t kDefaultLogMaxFiles = 3;

}  // namespace silo
