// Host Compute Network (HCN) schema 2 documents for silo's per-sandbox networking, as hcsshim's hcn
// package writes them (hcn/hcnnetwork.go, hcnendpoint.go, hcnnamespace.go) and its utility VM NIC
// request (internal/uvm/network.go). Portable (no Windows headers): unit-tested on Linux with golden
// files and linked by the Windows-only computenetwork client.
#pragma once

#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace silo::hcn {

// The NAT network every silo sandbox joins unless told otherwise.
struct NatNetworkSpec {
  std::string name = "silo-nat";
  std::string subnet = "172.30.0.0/16";  // IpAddressPrefix
  std::string gateway = "172.30.0.1";    // the default route's NextHop
};

// HRESULTs computenetwork.dll returns that silo acts on (winerror.h HCN_E_*).
namespace hresult {
inline constexpr std::int32_t kNetworkNotFound = static_cast<std::int32_t>(0x803B0001);
inline constexpr std::int32_t kEndpointNotFound = static_cast<std::int32_t>(0x803B0002);
}  // namespace hresult

// HostComputeNetwork: Type "NAT", one static IPAM subnet with a default route via the gateway.
nlohmann::ordered_json nat_network(const NatNetworkSpec& spec);

// HostComputeQuery finding networks by name (for HcnEnumerateNetworks); Filter is a JSON string.
nlohmann::ordered_json network_name_query(std::string_view name);

// HostComputeEndpoint on `network_id` named after the sandbox; HNS assigns address and MAC.
nlohmann::ordered_json sandbox_endpoint(std::string_view sandbox_id, std::string_view network_id);

// HostComputeNamespace of Type "Host" (a compartment for one process-isolated sandbox).
nlohmann::ordered_json sandbox_namespace();

// ModifyNamespaceSettingRequest adding (or removing) an endpoint to a namespace.
nlohmann::ordered_json namespace_endpoint_request(std::string_view endpoint_id, bool add);

// ModifySettingRequest for HcsModifyComputeSystem on a utility VM: the endpoint becomes the VM's
// network adapter (ResourcePath VirtualMachine/Devices/NetworkAdapters/<endpoint id>).
nlohmann::ordered_json vm_network_adapter_request(std::string_view endpoint_id, std::string_view mac_address, bool add);

// The first network id in HcnEnumerateNetworks' answer (a JSON array of GUID strings); "" when empty.
Result<std::string> first_network_id(std::string_view enumerate_answer);

// A string property ("ID", "MacAddress") of an HCN properties document; not "" when the result is valid.
Result<std::string> string_property(std::string_view properties, std::string_view name, std::string_view what);

// "<what>: <HCN's error record text, or system_text> (HRESULT 0x803B0001)". The record is
// {"Success":false,"Error":"...","ErrorCode":...} (hcsshim hcn/hcnerrors.go); may be empty or not JSON.
Error hcn_error(std::string_view what, std::int32_t hr, std::string_view error_record, std::string_view system_text);

}  // namespace silo::hcn
