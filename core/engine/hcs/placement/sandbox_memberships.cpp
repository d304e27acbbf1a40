#include "core/engine/hcs/placement/sandbox_memberships.h"

#include "core/engine/hcs/network/compute_network_api.h"
#include "core/platform/atomic_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace silo::engine::hcs_backend {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A sandbox's namespace and the containers in it, as kept in ROOT\networks\<sandbox id>.json.
struct Membership {
  hcn::SandboxNetwork network;
  std::vector<std::string> containers;
};

json to_json(const Membership& m) {
  return {{"sandboxId", m.network.sandbox_id}, {"networkId", m.network.network_id},
          {"namespaceId", m.network.namespace_id}, {"endpointId", m.network.endpoint_id},
          {"macAddress", m.network.mac_address}, {"containers", m.containers}};
}

Result<Membership> membership_from(const fs::path& file, const std::string& text) {
  json doc = json::parse(text, nullptr, false);
  auto text_of = [&](const char* key) -> std::string {
    return doc.contains(key) && doc[key].is_string() ? doc[key].get<std::string>() : std::string();
  };
  if (!doc.is_object() || text_of("namespaceId").empty() || !doc.contains("containers") || !doc["containers"].is_array()) {
    return make_error(Errc::internal, file.string() + " is not a sandbox network record; remove it and the sandbox's "
                                                       "HCN namespace by hand (hnsdiag list namespaces)");
  }
  Membership m;
  m.network = {text_of("sandboxId"), text_of("networkId"), text_of("namespaceId"), text_of("endpointId"), text_of("macAddress")};
  for (const auto& id : doc["containers"]) {
    if (id.is_string()) m.containers.push_back(id.get<std::string>());
  }
  return m;
}

}  // namespace

NetworkingSource system_networking() {
  return []() -> Result<std::shared_ptr<hcn::SandboxNetworking>> {
    auto api = hcn::load_system_compute_network();
    if (!api) return api.error();
    return std::make_shared<hcn::SandboxNetworking>(*api);
  };
}

SandboxMemberships::SandboxMemberships(fs::path root, NetworkingSource networking)
    : root_(std::move(root)), source_(std::move(networking)) {}

fs::path SandboxMemberships::record(const std::string& sandbox_id) const {
  return root_ / "networks" / (sandbox_id + ".json");
}

Result<std::shared_ptr<hcn::SandboxNetworking>> SandboxMemberships::networking() {
  if (!networking_) {
    auto loaded = source_();
    if (!loaded) return loaded.error();
    networking_ = *loaded;
  }
  return networking_;
}

Result<hcn::SandboxNetwork> SandboxMemberships::join(const std::string& sandbox_id, const std::string& container_id) {
  std::lock_guard lock(mutex_);
  const fs::path file = record(sandbox_id);
  Membership membership;
  auto existing = platform::read_small_file(file);
  if (existing) {
    auto parsed = membership_from(file, *existing);
    if (!parsed) return parsed.error();
    membership = std::move(*parsed);
  } else if (existing.error().code != Errc::not_found) {
    return existing.error();
  } else {
    auto networking = this->networking();
    if (!networking) return networking.error();
    auto attached = (*networking)->attach_sandbox(sandbox_id);
    if (!attached) return attached.error();
    membership.network = std::move(*attached);
  }
  if (std::find(membership.containers.begin(), membership.containers.end(), container_id) == membership.containers.end()) {
    membership.containers.push_back(container_id);
  }
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  auto written = platform::write_file_atomically(file, to_json(membership).dump());
  if (!written) {
    // A namespace nobody records would never be deleted: undo what this call made.
    if (!existing && networking_) (void)networking_->detach(membership.network);
    return written.error();
  }
  return membership.network;
}

Result<void> SandboxMemberships::leave(const std::string& sandbox_id, const std::string& container_id) {
  std::lock_guard lock(mutex_);
  const fs::path file = record(sandbox_id);
  auto existing = platform::read_small_file(file);
  if (!existing) return existing.error().code == Errc::not_found ? Result<void>{} : Result<void>(existing.error());
  auto membership = membership_from(file, *existing);
  if (!membership) return membership.error();
  auto& members = membership->containers;
  members.erase(std::remove(members.begin(), members.end(), container_id), members.end());
  if (!members.empty()) return platform::write_file_atomically(file, to_json(*membership).dump());
  auto networking = this->networking();
  if (!networking) return networking.error();
  SILO_TRY((*networking)->detach(membership->network));
  std::error_code ec;
  fs::remove(file, ec);
  if (ec) return make_error(Errc::internal, "cannot remove " + file.string() + ": " + ec.message());
  return {};
}

Result<hcn::SandboxNetworking::GuestView> SandboxMemberships::for_guest(const hcn::SandboxNetwork& network) {
  std::lock_guard lock(mutex_);
  auto networking = this->networking();
  if (!networking) return networking.error();
  return (*networking)->for_guest(network);
}

}  // namespace silo::engine::hcs_backend
