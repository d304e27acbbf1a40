// Per-sandbox networking over HCN, as hcsshim sets it up for a Windows container
// (hcn/hcnnamespace.go, internal/hcsoci/network.go): every sandbox joins one NAT network (found by
// name, created on first use), gets its own namespace and one endpoint in it. A process-isolated
// container takes the namespace id as Networking.Namespace; a hyperv sandbox's utility VM also
// gets the namespace and the endpoint as its network adapter (for_guest gives what the VM's
// requests carry, hcs/documents/modify_requests.h).
#pragma once

#include "core/engine/hcs/network/hcn_client.h"
#include "core/engine/hcs/network/hcn_documents.h"

#include <mutex>
#include <string>

namespace silo::hcn {

struct SandboxNetwork {
  std::string sandbox_id;
  std::string network_id;
  std::string namespace_id;  // for the container document's Networking.Namespace
  std::string endpoint_id;
  std::string mac_address;   // the endpoint's MAC (the VM adapter needs it)
};

class SandboxNetworking {
 public:
  explicit SandboxNetworking(std::shared_ptr<const ComputeNetworkApi> api, NatNetworkSpec nat = {})
      : client_(std::move(api)), nat_(std::move(nat)) {}

  // Network (reused or created), namespace, endpoint, endpoint added to the namespace. A failure
  // midway deletes what this call created (never the shared network) and returns the first error.
  Result<SandboxNetwork> attach_sandbox(std::string_view sandbox_id);

  // Reverse order: endpoint removed from the namespace, endpoint deleted, namespace deleted. Parts
  // already gone (not_found) count as done; every step runs, the first other error is returned.
  Result<void> detach(const SandboxNetwork& network);

  // The sandbox's namespace and endpoint as a utility VM's guest takes them, read from HCN now (as
  // hcsshim's SetupNetworkNamespace reads them when it gives a VM its network).
  struct GuestView {
    nlohmann::ordered_json ns;        // hcn::namespace_for_guest
    nlohmann::ordered_json endpoint;  // hcn::endpoint_for_guest
  };
  Result<GuestView> for_guest(const SandboxNetwork& network) const;

 private:
  Result<NetworkHandle> ensure_network(std::string& network_id);
  Result<void> join(SandboxNetwork& out, const NetworkHandle& network, const NamespaceHandle& ns);

  HcnClient client_;
  NatNetworkSpec nat_;
  std::mutex network_mutex_;  // two first sandboxes must not both create the NAT network
};

}  // namespace silo::hcn
