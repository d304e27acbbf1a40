// The computenetwork.dll (HCN) functions silo calls, as a table of pointers resolved at run time.
// Like computecore, silo never links computenetwork: silod must start on hosts without the
// Containers feature and under Wine, and the tests put a recording double behind the same table.
#pragma once

#include <windows.h>

#include <computenetwork.h>

#include "core/errors.h"

#include <functional>
#include <memory>
#include <string_view>

namespace silo::hcn {

struct ComputeNetworkApi {
  decltype(&::HcnEnumerateNetworks) enumerate_networks = nullptr;
  decltype(&::HcnCreateNetwork) create_network = nullptr;
  decltype(&::HcnOpenNetwork) open_network = nullptr;
  decltype(&::HcnQueryNetworkProperties) query_network_properties = nullptr;
  decltype(&::HcnCloseNetwork) close_network = nullptr;
  decltype(&::HcnCreateEndpoint) create_endpoint = nullptr;
  decltype(&::HcnOpenEndpoint) open_endpoint = nullptr;
  decltype(&::HcnQueryEndpointProperties) query_endpoint_properties = nullptr;
  decltype(&::HcnDeleteEndpoint) delete_endpoint = nullptr;
  decltype(&::HcnCloseEndpoint) close_endpoint = nullptr;
  decltype(&::HcnCreateNamespace) create_namespace = nullptr;
  decltype(&::HcnOpenNamespace) open_namespace = nullptr;
  decltype(&::HcnModifyNamespace) modify_namespace = nullptr;
  decltype(&::HcnQueryNamespaceProperties) query_namespace_properties = nullptr;
  decltype(&::HcnDeleteNamespace) delete_namespace = nullptr;
  decltype(&::HcnCloseNamespace) close_namespace = nullptr;
};

// Looks up one export by name; an error naming it when the DLL lacks it.
using SymbolResolver = std::function<Result<void*>(std::string_view export_name)>;

// Fills every entry through `resolve`; the first missing export is the error.
Result<ComputeNetworkApi> resolve_compute_network(const SymbolResolver& resolve);

// computenetwork.dll from System32 only (never a DLL planted beside silod); unavailable, with what
// to install, on hosts without HCN (Wine, Windows without Containers).
Result<std::shared_ptr<const ComputeNetworkApi>> load_system_compute_network();

}  // namespace silo::hcn
