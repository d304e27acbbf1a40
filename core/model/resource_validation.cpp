// Range checks for resources and log options. Each message names the field, the value and the
// limit, in bytes with a human unit where the number alone is hard to read.
#include "core/model/container_spec.h"
#include "core/model/message_text.h"

#include <vector>

namespace silo {
namespace {

using message::check_range;

// " (6 MiB)" for a whole number of KiB/MiB/GiB/TiB; empty otherwise.
std::string unit_note(std::int64_t bytes) {
  struct Unit {
    std::int64_t size;
    const char* name;
  };
  for (Unit unit : {Unit{kTiB, "TiB"}, Unit{kGiB, "GiB"}, Unit{kMiB, "MiB"}, Unit{kKiB, "KiB"}}) {
    if (bytes >= unit.size && bytes % unit.size == 0) {
      return " (" + std::to_string(bytes / unit.size) + " " + unit.name + ")";
    }
  }
  return {};
}

Result<void> check_bytes(std::string_view field, std::int64_t value, std::int64_t min, std::int64_t max) {
  return check_range(field, value, min, max, unit_note(min), unit_note(max));
}

// HCS and hcsshim refuse a create that sets more than one CPU control ("are mutually exclusive").
Result<void> check_one_cpu_control(const ResourceLimits& resources) {
  std::vector<std::string> set;
  if (resources.cpu_count) set.emplace_back("resources.cpuCount");
  if (resources.cpu_percent) set.emplace_back("resources.cpuPercent");
  if (resources.cpu_weight) set.emplace_back("resources.cpuWeight");
  if (set.size() <= 1) return {};
  std::string names = set[0];
  for (std::size_t i = 1; i < set.size(); ++i) names += (i + 1 == set.size() ? " and " : ", ") + set[i];
  return message::invalid(names + " are mutually exclusive (HCS accepts one CPU control per container); set only one");
}

}  // namespace

Result<void> validate_resources(const ResourceLimits& resources, const SpecLimits& limits) {
  if (resources.cpu_count) SILO_TRY(check_range("resources.cpuCount", *resources.cpu_count, 1, limits.cpu_count_max));
  if (resources.cpu_percent) {
    SILO_TRY(check_range("resources.cpuPercent", *resources.cpu_percent, 1, limits.cpu_percent_max));
  }
  if (resources.cpu_weight) {
    SILO_TRY(check_range("resources.cpuWeight", *resources.cpu_weight, 1, limits.cpu_weight_max));
  }
  SILO_TRY(check_one_cpu_control(resources));
  if (resources.memory_bytes) {
    SILO_TRY(check_bytes("resources.memoryBytes", *resources.memory_bytes, limits.memory_bytes_min,
                         limits.memory_bytes_max));
  }
  if (resources.pids_limit) {
    SILO_TRY(check_range("resources.pidsLimit", *resources.pids_limit, 1, limits.pids_limit_max));
  }
  return {};
}

Result<void> validate_log_options(const LogOptions& log, const SpecLimits& limits) {
  SILO_TRY(check_bytes("log.maxSizeBytes", log.max_size_bytes, limits.log_max_size_bytes_min,
                       limits.log_max_size_bytes_max));
  SILO_TRY(check_range("log.maxFiles", log.max_files, 1, limits.log_max_files_max));
  return {};
}

}  // namespace silo
