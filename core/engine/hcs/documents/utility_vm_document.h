// The ComputeSystem document of a hyperv sandbox's utility VM, as hcsshim's WCOW UVM
// (internal/uvm/create_wcow.go, prepareCommonConfigDoc + prepareConfigDoc) with one deliberate
// difference: silo has no guest-bridge (GCS) client of its own, so the document asks HCS to keep
// the guest connection (VirtualMachine.GuestConnection {}), as hcsshim did before it moved to an
// external bridge (commit cd895b4d, 2021). Containers then go into the VM with
// HcsCreateComputeSystem and HostingSystemId (container_document.h).
#pragma once

#include "core/engine/hcs/documents/container_document.h"
#include "core/engine/hcs/documents/target_os.h"
#include "core/errors.h"

#include <cstdint>
#include <optional>
#include <string>

namespace silo::hcs {

// hcsshim's first SCSI controller (internal/protocol/guestrequest/types.go).
inline constexpr std::string_view kScsiController0 = "df6d0690-79e5-55b6-a5ec-c1e2f77f580a";

struct UtilityVmInputs {
  std::string owner = "silod";
  TargetOs target;
  // The base layer folder: the VM boots from <base>\UtilityVM\Files over VSMB.
  std::string base_layer_path;
  // The VM's scratch disk, a copy of <base>\UtilityVM\SystemTemplate.vhdx the VM was granted
  // access to (HcsGrantVmAccess); hcsshim keeps it as <sandbox scratch>\vm\sandbox.vhdx.
  std::string scratch_vhdx_path;
  std::uint32_t host_cpus = 0;
  std::optional<std::uint32_t> cpu_count;   // default 2 (1 on a one-CPU host), lowered to host_cpus
  std::optional<std::int64_t> nano_cpus;    // fractional CPUs; wins over cpu_count
  std::optional<std::uint64_t> memory_mb;   // default 1024, aligned up to even
  bool allow_overcommit = true;             // pagefile-backed memory (hcsshim's default)
};

Result<Document> utility_vm(const UtilityVmInputs& inputs);

// <base>\UtilityVM\Files, the folder shared to the VM as "os".
std::string utility_vm_files_path(std::string_view base_layer_path);

}  // namespace silo::hcs
