#include "core/engine/hcs/network/compute_network_api.h"

#include "core/engine/hcs/computecore/system32_library.h"

namespace silo::hcn {
namespace {

template <typename F>
Result<void> bind_export(const SymbolResolver& resolve, std::string_view name, F& slot) {
  auto address = resolve(name);
  if (!address) return address.error();
  slot = reinterpret_cast<F>(*address);
  return {};
}

struct LoadedApi {
  std::shared_ptr<hcs::computecore::System32Library> library;
  ComputeNetworkApi api;
};

}  // namespace

Result<ComputeNetworkApi> resolve_compute_network(const SymbolResolver& resolve) {
  ComputeNetworkApi api;
  SILO_TRY(bind_export(resolve, "HcnEnumerateNetworks", api.enumerate_networks));
  SILO_TRY(bind_export(resolve, "HcnCreateNetwork", api.create_network));
  SILO_TRY(bind_export(resolve, "HcnOpenNetwork", api.open_network));
  SILO_TRY(bind_export(resolve, "HcnQueryNetworkProperties", api.query_network_properties));
  SILO_TRY(bind_export(resolve, "HcnCloseNetwork", api.close_network));
  SILO_TRY(bind_export(resolve, "HcnCreateEndpoint", api.create_endpoint));
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
  auto library = hcs::computecore::load_system32_library(
      L"computenetwork.dll", "install the Containers feature (Windows Server 2019 or later)");
  if (!library) return library.error();
  auto loaded = std::make_shared<LoadedApi>();
  loaded->library = *library;
  auto api = resolve_compute_network(
      [&](std::string_view name) { return loaded->library->symbol("computenetwork.dll", name); });
  if (!api) return api.error();
  loaded->api = *api;
  return std::shared_ptr<const ComputeNetworkApi>(loaded, &loaded->api);
}

}  // namespace silo::hcn
