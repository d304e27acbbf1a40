#include "core/engine/hcs/documents/resource_mapping.h"

#include <algorithm>

namespace silo::hcs {
namespace {

constexpr std::int64_t kNanoPerCpu = 1'000'000'000;
constexpr std::int64_t kMaximumScale = 10'000;   // Container.Processor.Maximum: 10000 = all CPUs
constexpr std::int64_t kVmLimitScale = 100'000;  // ComputeTopology.Processor.Limit: 100000 = a whole vCPU
constexpr std::int64_t kMiB = 1024 * 1024;

Error bad(const std::string& what) { return make_error(Errc::invalid_argument, what); }

// dockerd's order: count, then weight (shares), then maximum (percent / NanoCPUs).
void drop_losers(CpuRequest& request, std::vector<std::string>& warnings) {
  auto discard = [&](auto& field, const char* name, const char* winner) {
    if (!field) return;
    warnings.push_back(std::string("CPU ") + winner + " takes priority over CPU " + name + "; CPU " + name +
                       " discarded");
    field.reset();
  };
  if (request.count) {
    discard(request.weight, "weight", "count");
    discard(request.percent, "percent", "count");
    discard(request.nano_cpus, "fractional CPUs", "count");
  } else if (request.weight) {
    discard(request.percent, "percent", "weight");
    discard(request.nano_cpus, "fractional CPUs", "weight");
  } else if (request.percent) {
    discard(request.nano_cpus, "fractional CPUs", "percent");
  }
}

Result<std::int32_t> checked_maximum(std::int64_t value, const char* what) {
  if (value < 1 || value > kMaximumScale) {
    return bad(std::string(what) + " maps to a CPU maximum of " + std::to_string(value) +
               ", outside 1..10000");
  }
  return static_cast<std::int32_t>(value);
}

}  // namespace

Result<ContainerProcessor> map_container_processor(const CpuRequest& original, std::uint32_t available_cpus,
                                                   std::vector<std::string>& warnings) {
  if (available_cpus == 0) return make_error(Errc::internal, "the number of available CPUs is unknown (0)");
  CpuRequest request = original;
  drop_losers(request, warnings);
  ContainerProcessor out;
  if (request.count) {
    if (*request.count < 1) return bad("CPU count " + std::to_string(*request.count) + " must be at least 1");
    std::int64_t count = *request.count;
    if (count > available_cpus) {
      warnings.push_back("CPU count " + std::to_string(count) + " lowered to the " +
                         std::to_string(available_cpus) + " processors available");
      count = available_cpus;
    }
    out.count = static_cast<std::int32_t>(count);
  } else if (request.weight) {
    if (*request.weight < 1 || *request.weight > kMaximumScale) {
      return bad("CPU weight " + std::to_string(*request.weight) + " is outside 1..10000");
    }
    out.weight = static_cast<std::int32_t>(*request.weight);
  } else if (request.percent) {
    auto maximum = checked_maximum(*request.percent * 100, "CPU percent");
    if (!maximum) return maximum.error();
    out.maximum = *maximum;
  } else if (request.nano_cpus) {
    if (*request.nano_cpus < 1) return bad("fractional CPUs must be above 0");
    std::int64_t maximum = *request.nano_cpus * kMaximumScale / kNanoPerCpu / available_cpus;
    out.maximum = static_cast<std::int32_t>(std::clamp<std::int64_t>(maximum, 1, kMaximumScale));
  }
  return out;
}

Result<VmProcessor> map_vm_processor_for_cpus(std::int64_t nano_cpus, std::uint32_t host_cpus,
                                              std::vector<std::string>& warnings) {
  if (nano_cpus < 1) return bad("fractional CPUs must be above 0");
  if (host_cpus == 0) return make_error(Errc::internal, "the number of host CPUs is unknown (0)");
  std::int64_t count = (nano_cpus + kNanoPerCpu - 1) / kNanoPerCpu;
  VmProcessor out;
  if (count > host_cpus) {
    warnings.push_back("CPU count " + std::to_string(count) + " lowered to the " + std::to_string(host_cpus) +
                       " processors of the host");
    out.count = host_cpus;
    return out;
  }
  out.count = static_cast<std::uint32_t>(count);
  if (nano_cpus % kNanoPerCpu != 0) {
    // Spread the fraction over every vCPU: 1.5 CPUs = 2 vCPUs at 75% each.
    std::int64_t limit = nano_cpus * kVmLimitScale / kNanoPerCpu / count;
    out.limit = static_cast<std::uint64_t>(std::max<std::int64_t>(limit, 1));
  }
  return out;
}

Result<std::uint64_t> memory_bytes_to_mb(std::int64_t bytes) {
  if (bytes < 1) return bad("memory limit " + std::to_string(bytes) + " bytes must be at least 1");
  return static_cast<std::uint64_t>((bytes + kMiB - 1) / kMiB);
}

std::uint64_t align_vm_memory_mb(std::uint64_t requested_mb, std::vector<std::string>& warnings) {
  std::uint64_t aligned = (requested_mb + 1) & ~std::uint64_t{1};
  if (aligned != requested_mb) {
    warnings.push_back("utility VM memory " + std::to_string(requested_mb) + " MB aligned up to " +
                       std::to_string(aligned) + " MB (HCS assigns memory in 2 MB units)");
  }
  return aligned;
}

}  // namespace silo::hcs
