// A hyperv sandbox's network as its utility VM takes it: the sandbox's HCN endpoint becomes the
// VM's network adapter and its namespace is made in the guest (hcs/documents/modify_requests.h).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace silo::engine::hcs_backend {

struct VmNetwork {
  std::string endpoint_id;  // also the adapter's id in the VM: one endpoint, one adapter
  std::string mac_address;
  nlohmann::ordered_json guest_namespace;  // hcn::namespace_for_guest
  nlohmann::ordered_json guest_endpoint;   // hcn::endpoint_for_guest
};

}  // namespace silo::engine::hcs_backend
