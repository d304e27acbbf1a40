#include "core/engine/jobobject/job_limits.h"

#include <algorithm>

namespace silo::engine::jobobject {

namespace {

std::uint32_t clamp_rate(std::int64_t rate) { return static_cast<std::uint32_t>(std::clamp<std::int64_t>(rate, 1, 10000)); }

}  // namespace

JobLimits job_limits_of(const ResourceLimits& resources, unsigned host_logical_processors) {
  JobLimits limits;
  const std::int64_t cpus = std::max(1u, host_logical_processors);
  if (resources.cpu_percent) limits.cpu_rate = clamp_rate(*resources.cpu_percent * 100);
  if (resources.cpu_count) limits.cpu_rate = clamp_rate(*resources.cpu_count * 10000 / cpus);
  if (resources.cpu_weight) {
    limits.cpu_weight = static_cast<std::uint32_t>(std::clamp<std::int64_t>(1 + 8 * *resources.cpu_weight / 10000, 1, 9));
  }
  if (resources.memory_bytes && *resources.memory_bytes > 0) limits.memory_bytes = static_cast<std::uint64_t>(*resources.memory_bytes);
  if (resources.pids_limit && *resources.pids_limit > 0) {
    limits.process_limit = static_cast<std::uint32_t>(std::min<std::int64_t>(*resources.pids_limit, UINT32_MAX));
  }
  return limits;
}

}  // namespace silo::engine::jobobject
