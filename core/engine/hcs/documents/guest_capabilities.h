// What a utility VM's guest says it can do. silo leaves the guest connection to HCS
// (GuestConnection {} in the VM document), so, as hcsshim does for a VM without its own bridge
// (internal/uvm/start.go), the capabilities come from the VM's GuestConnection property once the
// VM has started: GuestConnectionInfo.GuestDefinedCapabilities (schema1's field names).
// Portable, so the Linux build tests every shape.
#pragma once

#include "core/errors.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace silo::hcs {

struct GuestCapabilities {
  std::uint32_t protocol_version = 0;
  // The guest makes HCN namespaces itself (NetworkNamespace Add); without it the adapter goes in
  // without one, as hcsshim's AddNetNS skips the request.
  bool namespace_add = false;
  // HcsSignalProcess reaches processes in the guest (CtrlC, CtrlShutdown); without it a graceful
  // stop can only shut the container's compute system down.
  bool signal_process = false;
  // The guest runs HostProcess containers (Windows Server 2025 guests and later).
  bool hostprocess_containers = false;
};

// {"PropertyTypes":["GuestConnection"]}, for HcsGetComputeSystemProperties on the VM.
std::string guest_connection_query();

// Reads the properties document the query returns. A capability the document does not name is
// not there (hcsshim's omitempty booleans); invalid_argument when the text is not a JSON object.
Result<GuestCapabilities> parse_guest_capabilities(std::string_view properties);

}  // namespace silo::hcs
