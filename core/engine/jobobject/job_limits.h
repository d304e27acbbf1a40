// A container's resource limits as a job object takes them (hcsshim jobobject/limits.go):
//   cpu_percent -> CPU rate hard cap, in 1/100 of a percent of the whole host (percent * 100);
//   cpu_count   -> hard cap count * 10000 / host logical processors (at least 1);
//   cpu_weight  -> weight-based rate 1 + 8 * weight / 10000 (job weights run 1..9);
//   memory      -> JobMemoryLimit; pids_limit -> ActiveProcessLimit.
// Portable arithmetic only; job_object.cpp applies it.
#pragma once

#include "core/model/container_spec.h"

#include <cstdint>
#include <optional>

namespace silo::engine::jobobject {

struct JobLimits {
  std::optional<std::uint32_t> cpu_rate;    // 1..10000, hard cap
  std::optional<std::uint32_t> cpu_weight;  // 1..9
  std::optional<std::uint64_t> memory_bytes;
  std::optional<std::uint32_t> process_limit;

  bool operator==(const JobLimits&) const = default;
};

JobLimits job_limits_of(const ResourceLimits& resources, unsigned host_logical_processors);

}  // namespace silo::engine::jobobject
