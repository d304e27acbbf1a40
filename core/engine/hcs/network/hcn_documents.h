// Host Compute Network (HCN) schema 2 documents for silo's per-sandbox networking, as hcsshim's hcn
// package writes them (hcn/hcnnetwork.go, hcnendpoint.go, hcnnamespace.go), and a namespace and
// endpoint as a utility VM's guest gets them (internal/uvm/network.go). Portable (no Windows
// headers): unit-tested on Linux with golden files and linked by the Windows-only computenetwork
// client.
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

// An HCN namespace's or endpoint's properties document (HcnQuery*Properties) as hcsshim hands it to
// a utility VM's guest (internal/uvm/network.go): decoded into hcn.HostComputeNamespace or
// hcn.HostComputeEndpoint and encoded again by encoding/json. So only the fields those structs
// declare, in their order, with Go's omitempty: empty strings, zero numbers and empty lists are
// left out, struct-valued fields (Dns, Health.Extra, SchemaVersion) are always there, and a
// decoded map (Health.Data) comes out with sorted keys. HCN's own text is not passed through: the
// inbox GCS of Windows Server 2022 rejects fields it does not know (hcsshim #2714).
// invalid_argument naming `what` when the text is not a JSON object.
Result<nlohmann::ordered_json> namespace_for_guest(std::string_view hcn_properties, std::string_view what);
Result<nlohmann::ordered_json> endpoint_for_guest(std::string_view hcn_properties, std::string_view what);

// The first network id in HcnEnumerateNetworks' answer (a JSON array of GUID strings); "" when empty.
Result<std::string> first_network_id(std::string_view enumerate_answer);

// A string property ("ID", "MacAddress") of an HCN properties document; not "" when the result is valid.
Result<std::string> string_property(std::string_view properties, std::string_view name, std::string_view what);

// "<what>: <HCN's error record text, or system_text> (HRESULT 0x803B0001)". The record is
// {"Success":false,"Error":"...","ErrorCode":...} (hcsshim hcn/hcnerrors.go); may be empty or not JSON.
Error hcn_error(std::string_view what, std::int32_t hr, std::string_view error_record, std::string_view system_text);

}  // namespace silo::hcn
