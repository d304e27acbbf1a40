// Which containers are in each sandbox's HCN namespace, kept in ROOT\networks\<sandbox id>.json: a
// sandbox's first container makes its network (hcn::SandboxNetworking: namespace and endpoint), its
// last one deletes it, also across a silod restart. One instance serves both placements, so a
// sandbox id has one namespace, and one NAT network is created however many sandboxes start at
// once. computenetwork.dll is loaded at the first join, not at start: silod starts on hosts
// without it.
#pragma once

#include "core/engine/hcs/network/sandbox_network.h"
#include "core/errors.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace silo::engine::hcs_backend {

// Per-sandbox networking, or why this host has none.
using NetworkingSource = std::function<Result<std::shared_ptr<hcn::SandboxNetworking>>()>;

// Over computenetwork.dll from System32.
NetworkingSource system_networking();

class SandboxMemberships {
 public:
  SandboxMemberships(std::filesystem::path root, NetworkingSource networking);

  // The sandbox's network with `container_id` in it; made when the sandbox has none. A failure
  // leaves the record as it was (and deletes a network this call made).
  Result<hcn::SandboxNetwork> join(const std::string& sandbox_id, const std::string& container_id);
  // Takes `container_id` out; the last one out deletes the network and the record. A sandbox
  // without a record counts as left.
  Result<void> leave(const std::string& sandbox_id, const std::string& container_id);
  // The network as a utility VM's guest takes it (hcn::SandboxNetworking::for_guest).
  Result<hcn::SandboxNetworking::GuestView> for_guest(const hcn::SandboxNetwork& network);

  std::filesystem::path record(const std::string& sandbox_id) const;

 private:
  Result<std::shared_ptr<hcn::SandboxNetworking>> networking();  // with mutex_ held

  std::filesystem::path root_;  // DATA_ROOT\hcs
  NetworkingSource source_;
  std::mutex mutex_;  // one membership change at a time, so two containers agree on who is last
  std::shared_ptr<hcn::SandboxNetworking> networking_;
};

}  // namespace silo::engine::hcs_backend
