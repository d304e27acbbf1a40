#include "core/engine/hcs/placement/process_placement.h"

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

ProcessPlacement::ProcessPlacement(ProcessPlacementOptions options) : options_(std::move(options)) {
  if (!options_.layer_guid) options_.layer_guid = system_layer_guid();
  if (!options_.scratch) options_.scratch = system_scratch_mounts();
  if (!options_.networking) {
    options_.networking = []() -> Result<std::shared_ptr<hcn::SandboxNetworking>> {
      auto api = hcn::load_system_compute_network();
      if (!api) return api.error();
      return std::make_shared<hcn::SandboxNetworking>(*api);
    };
  }
}

fs::path ProcessPlacement::scratch_folder(const std::string& container_id) const { return options_.root / "scratch" / container_id; }

fs::path ProcessPlacement::network_file(const std::string& sandbox_id) const {
  return options_.root / "networks" / (sandbox_id + ".json");
}

Result<std::shared_ptr<hcn::SandboxNetworking>> ProcessPlacement::networking() {
  // Called with network_mutex_ held.
  if (!networking_) {
    auto loaded = options_.networking();
    if (!loaded) return loaded.error();
    networking_ = *loaded;
  }
  return networking_;
}

Result<std::string> ProcessPlacement::join_sandbox_network(const std::string& sandbox_id, const std::string& container_id) {
  std::lock_guard lock(network_mutex_);
  const fs::path file = network_file(sandbox_id);
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
    auto attached = (*networking)->attach_process_sandbox(sandbox_id);
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
  return membership.network.namespace_id;
}

Result<void> ProcessPlacement::leave_sandbox_network(const std::string& sandbox_id, const std::string& container_id) {
  std::lock_guard lock(network_mutex_);
  const fs::path file = network_file(sandbox_id);
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

Result<void> ProcessPlacement::remove_scratch(const std::string& container_id) const {
  const fs::path folder = scratch_folder(container_id);
  std::error_code ec;
  if (!fs::exists(folder, ec)) return {};
  auto scratch = options_.scratch();
  if (!scratch) return scratch.error();
  // A scratch that is no longer mounted (a reboot since) fails to unmount; destroying it is still
  // right, so the unmount's error only counts when the destroy fails too.
  auto unmounted = (*scratch)->unmount(folder);
  auto destroyed = (*scratch)->destroy(folder);
  if (!destroyed) return unmounted ? destroyed : unmounted;
  return {};
}

Result<HcsPlacement> ProcessPlacement::prepare(const LaunchRequest& request) {
  HcsPlacement placement;
  auto layers = container_layers(request, options_.layer_folders, options_.layer_guid, "a process-isolated container");
  if (!layers) return layers.error();
  placement.layers = std::move(*layers);
  auto scratch = options_.scratch();
  if (!scratch) return scratch.error();
  const auto refs = layer_refs(placement.layers);
  const fs::path folder = scratch_folder(request.container_id);
  std::error_code ec;
  fs::create_directories(folder.parent_path(), ec);
  if (ec) return make_error(Errc::internal, "cannot create " + folder.parent_path().string() + ": " + ec.message());
  auto volume = (*scratch)->mount(folder, refs);
  if (!volume) {
    (void)remove_scratch(request.container_id);
    return volume.error();
  }
  placement.scratch_path = *volume;
  auto namespace_id = join_sandbox_network(request.sandbox_id, request.container_id);
  if (!namespace_id) {
    (void)remove_scratch(request.container_id);
    return namespace_id.error();
  }
  placement.network_namespace = *namespace_id;
  return placement;
}

Result<void> ProcessPlacement::release(const std::string& container_id, const std::string& sandbox_id) {
  auto scratch = remove_scratch(container_id);
  auto network = leave_sandbox_network(sandbox_id, container_id);
  return scratch ? network : scratch;
}

}  // namespace silo::engine::hcs_backend
