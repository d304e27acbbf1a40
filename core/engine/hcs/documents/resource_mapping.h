// silo's resource limits in HCS units, with the rules dockerd (daemon/oci_windows.go,
// daemon_windows.go) and hcsshim (internal/hcsoci/hcsdoc_wcow.go, internal/vm/vmutils) apply:
//  - Container.Processor takes one of Count, Maximum, Weight. When a request carries more than one
//    (the API refuses that, but a builder must not trust its caller), Count wins over Weight wins
//    over Maximum, as in dockerd, and each discarded control becomes a warning.
//  - cpu percent -> Maximum in 1/10000 of the CPU time of the host (or of the VM): percent * 100.
//  - cpu count above the processors available (host, or the VM's vCPUs) is lowered to that number,
//    with a warning (hcsshim NormalizeProcessorCount).
//  - fractional CPUs (docker --cpus, NanoCPUs): with process isolation, Maximum =
//    nano / host CPUs / 10^5 (at least 1); for a utility VM, Count = the CPUs rounded up and, when
//    fractional, a per-vCPU Limit so the VM gets exactly the fraction asked for.
//  - memory bytes -> SizeInMB rounded up, so a limit is never tightened below what was asked
//    (hcsshim divides down; a 1.5 MiB limit would become 1 MiB); a utility VM's memory is aligned
//    up to an even number of MB (hcsshim NormalizeMemorySize).
#pragma once

#include "core/errors.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace silo::hcs {

struct CpuRequest {
  std::optional<std::int64_t> count = std::nullopt;
  std::optional<std::int64_t> percent = std::nullopt;    // 1..100
  std::optional<std::int64_t> weight = std::nullopt;     // 1..10000
  std::optional<std::int64_t> nano_cpus = std::nullopt;  // CPUs * 10^9 (fractional CPUs)
};

// Container.Processor: at most one of the three is set.
struct ContainerProcessor {
  std::optional<std::int32_t> count;
  std::optional<std::int32_t> maximum;  // 1..10000
  std::optional<std::int32_t> weight;   // 1..10000
  bool empty() const { return !count && !maximum && !weight; }
};

// `available_cpus`: the host's logical processors (process isolation) or the VM's vCPUs.
// Appends a sentence to `warnings` for every control it discards or changes.
Result<ContainerProcessor> map_container_processor(const CpuRequest& request, std::uint32_t available_cpus,
                                                   std::vector<std::string>& warnings);

// VirtualMachine.ComputeTopology.Processor: Count and a Limit in 1/100000 of each vCPU.
struct VmProcessor {
  std::uint32_t count = 0;
  std::optional<std::uint64_t> limit;
};

// A utility VM sized for `nano_cpus` CPUs, clamped to the host's processors with a warning.
Result<VmProcessor> map_vm_processor_for_cpus(std::int64_t nano_cpus, std::uint32_t host_cpus,
                                              std::vector<std::string>& warnings);

// Bytes to whole MB, rounded up. invalid_argument for a value below 1.
Result<std::uint64_t> memory_bytes_to_mb(std::int64_t bytes);

// hcsshim's 2 MB alignment for utility VM memory, with a warning when it changes the value.
std::uint64_t align_vm_memory_mb(std::uint64_t requested_mb, std::vector<std::string>& warnings);

}  // namespace silo::hcs
