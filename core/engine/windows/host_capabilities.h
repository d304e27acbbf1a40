// What this Windows host can run, probed at run time: process isolation needs the Host Compute
// Service (computecore.dll, computestorage.dll, computenetwork.dll and the vmcompute service),
// hyperv isolation needs that plus Hyper-V (vmcompute.dll, the vmms service, a hypervisor). The
// bind filter (bindfltapi.dll) lets HostProcess containers see their rootfs at one fixed path.
// Each unavailable mode carries the exact reason and what to do; /v1/info reports it as is.
// No Windows headers here: the HCS backend and the composition root include this freely.
#pragma once

#include "core/engine/backend.h"

#include <string>
#include <vector>

namespace silo::engine::windows {

// One DLL the engine loads at run time.
struct LibraryProbe {
  std::string name;                  // "computecore.dll"
  bool loaded = false;               // present in System32 with every export silo calls
  std::string reason;                // empty when loaded
};

struct HostCapabilities {
  Availability process;     // Argon: server silos through HCS
  Availability hyperv;      // Xenon: utility VMs through HCS
  Availability bind_filter; // bindfltapi.dll (BfSetupFilter) for HostProcess rootfs and volume bindings
  std::vector<LibraryProbe> libraries;  // computecore, computestorage, computenetwork, vmcompute, bindfltapi
};

// The exports the HCS client calls, per DLL; a DLL missing one is reported unavailable (an older
// Windows build than silo supports).
const std::vector<std::string>& required_exports(const std::string& dll_name);

// Loads each DLL (and unloads it again), looks up the services and the hypervisor. Cheap enough to
// call on every /v1/info; nothing is cached, so installing a feature shows without a restart.
HostCapabilities probe_host_capabilities();

}  // namespace silo::engine::windows
