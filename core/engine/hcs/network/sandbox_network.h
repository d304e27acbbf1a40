// Per-sandbox networking over HCN, as hcsshim sets it up for a Windows container
// (hcn/hcnnamespace.go, internal/hcsoci/network.go): every sandbox joins one NAT network (found by
// name, created on first use), gets its own namespace and one endpoint in it. A process-isolated
// container takes the namespace id as Networking.Namespace; a hyperv sandbox's utility VM also
// gets the endpoint as a network adapter (adapter_request, sent with HcsModifyComputeSystem).
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
  Result<SandboxNetwork> attach_process_sandbox(std::string_view sandbox_id) { return attach_sandbox(sandbox_id); }

  // Reverse order: endpoint removed from the namespace, endpoint deleted, namespace deleted. Parts
  // already gone (not_found) count as done; every step runs, the first other error is returned.
  Result<void> detach(const SandboxNetwork& network);

 private:
  Result<NetworkHandle> ensure_network(std::string& network_id);
  Result<void> join(SandboxNetwork& out, const NetworkHandle& network, const NamespaceHandle& ns);

  HcnClient client_;
  NatNetworkSpec nat_;
  std::mutex network_mutex_;  // two first sandboxes must not both create the NAT network
};

// The HcsModifyComputeSystem request that gives a utility VM the endpoint as a network adapter,
// and the one that takes it away again (before detach).
nlohmann::ordered_json adapter_add_request(const SandboxNetwork& network);
nlohmann::ordered_json adapter_remove_request(const SandboxNetwork& network);

}  // namespace silo::hcn
