#include "core/engine/hcs/network/sandbox_network.h"

namespace silo::hcn {
namespace {

Result<void> ignore_not_found(Result<void> step) {
  if (!step && step.error().code == Errc::not_found) return {};
  return step;
}

// An opened HCN object's properties, shaped as a utility VM's guest takes them; the handle is
// closed on return.
template <typename Handle, typename Query>
Result<nlohmann::ordered_json> guest_shaped(Result<Handle> opened, const Query& query,
                                            Result<nlohmann::ordered_json> (*shape)(std::string_view, std::string_view),
                                            const std::string& what) {
  if (!opened) return opened.error();
  auto properties = query(*opened);
  if (!properties) return properties.error();
  return shape(*properties, what);
}

}  // namespace

Result<NetworkHandle> SandboxNetworking::ensure_network(std::string& network_id) {
  std::lock_guard lock(network_mutex_);
  auto existing = client_.find_network(nat_.name);
  if (!existing) return existing.error();
  if (!existing->empty()) {
    network_id = *existing;
    return client_.open_network(network_id);
  }
  auto id = new_guid();
  if (!id) return id.error();
  network_id = *id;
  return client_.create_network(network_id, nat_network(nat_));
}

// Creates the endpoint and adds it to the namespace; on failure deletes the endpoint it created.
Result<void> SandboxNetworking::join(SandboxNetwork& out, const NetworkHandle& network, const NamespaceHandle& ns) {
  auto id = new_guid();
  if (!id) return id.error();
  auto endpoint = client_.create_endpoint(network, *id, sandbox_endpoint(out.sandbox_id, out.network_id));
  if (!endpoint) return endpoint.error();
  out.endpoint_id = *id;
  auto joined = [&]() -> Result<void> {
    auto properties = client_.query_endpoint(*endpoint);
    if (!properties) return properties.error();
    auto mac = string_property(*properties, "MacAddress", "HcnQueryEndpointProperties " + out.endpoint_id);
    if (!mac) return mac.error();
    out.mac_address = *mac;
    return client_.modify_namespace(ns, out.namespace_id, namespace_endpoint_request(out.endpoint_id, true));
  }();
  if (!joined) (void)client_.delete_endpoint(out.endpoint_id);
  return joined;
}

Result<SandboxNetwork> SandboxNetworking::attach_sandbox(std::string_view sandbox_id) {
  SandboxNetwork out;
  out.sandbox_id = std::string(sandbox_id);
  auto network = ensure_network(out.network_id);
  if (!network) return network.error();
  auto id = new_guid();
  if (!id) return id.error();
  auto ns = client_.create_namespace(*id, sandbox_namespace());
  if (!ns) return ns.error();
  out.namespace_id = *id;
  auto joined = join(out, *network, *ns);
  if (!joined) {
    (void)client_.delete_namespace(out.namespace_id);
    return joined.error();
  }
  return out;
}

Result<void> SandboxNetworking::detach(const SandboxNetwork& network) {
  Result<void> first;
  auto keep_first = [&](Result<void> step) {
    step = ignore_not_found(std::move(step));
    if (!step && first) first = step.error();
  };
  {  // the namespace handle is closed before anything is deleted
    auto ns = client_.open_namespace(network.namespace_id);
    if (ns) {
      keep_first(client_.modify_namespace(*ns, network.namespace_id,
                                          namespace_endpoint_request(network.endpoint_id, false)));
    } else {
      keep_first(ns.error());
    }
  }
  keep_first(client_.delete_endpoint(network.endpoint_id));
  keep_first(client_.delete_namespace(network.namespace_id));
  return first;
}

Result<SandboxNetworking::GuestView> SandboxNetworking::for_guest(const SandboxNetwork& network) const {
  auto ns = guest_shaped(client_.open_namespace(network.namespace_id),
                         [this](const NamespaceHandle& h) { return client_.query_namespace(h); }, &namespace_for_guest,
                         "HcnQueryNamespaceProperties " + network.namespace_id);
  if (!ns) return ns.error();
  auto endpoint = guest_shaped(client_.open_endpoint(network.endpoint_id),
                               [this](const EndpointHandle& h) { return client_.query_endpoint(h); }, &endpoint_for_guest,
                               "HcnQueryEndpointProperties " + network.endpoint_id);
  if (!endpoint) return endpoint.error();
  return GuestView{std::move(*ns), std::move(*endpoint)};
}

}  // namespace silo::hcn
