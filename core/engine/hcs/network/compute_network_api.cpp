#include "core/engine/hcs/network/compute_network_api.h"

#include "core/engine/hcs/computecore/system_api_table.h"

namespace silo::hcn {
using hcs::computecore::bind_export;

Result<ComputeNetworkApi> resolve_compute_network(const SymbolResolver& resolve) {
  ComputeNetworkApi api;
  SILO_TRY(bind_export(resolve, "HcnEnumerateNetworks", api.enumerate_networks));
  SILO_TRY(bind_export(resolve, "HcnCreateNetwork", api.create_network));
  SILO_TRY(bind_export(resolve, "HcnOpenNetwork", api.open_network));
  SILO_TRY(bind_export(resolve, "HcnQueryNetworkProperties", api.query_network_properties));
  SILO_TRY(bind_export(resolve, "HcnCloseNetwork", api.close_network));
  SILO_TRY(bind_export(resolve, "HcnCreateEndpoint", api.create_endpoint));
  SILO_TRY(bind_export(resolve, "HcnOpenEndpoint", api.open_endpoint));
  SILO_TRY(bind_export(resolve, "HcnQueryEndpointProperties", api.query_endpoint_properties));
  SILO_TRY(bind_export(resolve, "HcnDeleteEndpoint", api.delete_endpoint));
  SILO_TRY(bind_export(resolve, "HcnCloseEndpoint", api.close_endpoint));
  SILO_TRY(bind_export(resolve, "HcnCreateNamespace", api.create_namespace));
  SILO_TRY(bind_export(resolve, "HcnOpenNamespace", api.open_namespace));
  SILO_TRY(bind_export(resolve, "HcnModifyNamespace", api.modify_namespace));
  SILO_TRY(bind_export(resolve, "HcnQueryNamespaceProperties", api.query_namespace_properties));
  SILO_TRY(bind_export(resolve, "HcnDeleteNamespace", api.delete_namespace));
  SILO_TRY(bind_export(resolve, "HcnCloseNamespace", api.close_namespace));
  return api;
}

Result<std::shared_ptr<const ComputeNetworkApi>> load_system_compute_network() {
  return hcs::computecore::load_system_api_table<ComputeNetworkApi>(
      "computenetwork.dll", "install the Containers feature (Windows Server 2019 or later)", &resolve_compute_network);
}

}  // namespace silo::hcn
