#include "core/engine/hcs/placement/hyperv_placement.h"

#include "core/engine/hcs/backend/hcs_handle.h"

#include <system_error>

namespace silo::engine::hcs_backend {
namespace {

namespace fs = std::filesystem;

Error folder_error(const char* what, const fs::path& path, const std::error_code& ec) {
  return make_error(Errc::internal, std::string("cannot ") + what + " '" + path.string() + "': " + ec.message());
}

bool is_empty_or_missing(const fs::path& folder) {
  std::error_code ec;
  return !fs::exists(folder, ec) || fs::is_empty(folder, ec);
}

}  // namespace

HypervPlacement::HypervPlacement(HypervPlacementOptions options) : options_(std::move(options)) {
  if (!options_.layer_guid) options_.layer_guid = system_layer_guid();
  if (!options_.scratch) options_.scratch = system_scratch_mounts();
  if (!options_.networks) options_.networks = std::make_shared<SandboxMemberships>(options_.root, system_networking());
}

fs::path HypervPlacement::sandbox_folder(const std::string& sandbox_id) const { return options_.root / "vms" / sandbox_id; }

fs::path HypervPlacement::container_folder(const std::string& sandbox_id, const std::string& container_id) const {
  return sandbox_folder(sandbox_id) / "containers" / container_id;
}

Result<fs::path> HypervPlacement::ensure_vm_scratch(const hcs::storage::ScratchMounts& scratch, const std::string& sandbox_id,
                                                    const fs::path& base_layer) {
  const fs::path target = sandbox_folder(sandbox_id) / "sandbox.vhdx";
  std::error_code ec;
  if (fs::exists(target, ec)) return target;  // the sandbox's VM has its disk already
  const fs::path image = base_layer / "UtilityVM" / "SystemTemplate.vhdx";
  if (!fs::is_regular_file(image, ec)) {
    return make_error(Errc::failed_precondition,
                      "layer: the base layer '" + base_layer.string() +
                          "' has no utility VM image (UtilityVM\\SystemTemplate.vhdx); a hyperv container needs a base "
                          "layer that carries UtilityVM/Files, imported by silod, which processes it");
  }
  fs::create_directories(target.parent_path(), ec);
  if (ec) return folder_error("create", target.parent_path(), ec);
  // Copied beside the target and renamed, so a crash never leaves half a disk under the real name.
  const fs::path partial = target.string() + ".copying";
  fs::copy_file(image, partial, fs::copy_options::overwrite_existing, ec);
  if (ec) return folder_error("copy the utility VM image to", partial, ec);
  fs::rename(partial, target, ec);
  if (ec) {
    fs::remove(partial, ec);
    return folder_error("move the utility VM's scratch to", target, ec);
  }
  if (auto granted = scratch.grant_vm_access(utility_vm_id_for(sandbox_id), target); !granted) {
    fs::remove(target, ec);
    return granted.error();
  }
  return target;
}

Result<void> HypervPlacement::remove_container(const hcs::storage::ScratchMounts& scratch, const std::string& sandbox_id,
                                               const std::string& container_id) {
  // Called with mutex_ held.
  const fs::path folder = container_folder(sandbox_id, container_id);
  std::error_code ec;
  if (fs::exists(folder, ec)) SILO_TRY(scratch.destroy(folder));
  if (!is_empty_or_missing(folder.parent_path())) return {};
  fs::remove_all(sandbox_folder(sandbox_id), ec);  // the last container: the VM's scratch goes too
  if (ec) return folder_error("remove", sandbox_folder(sandbox_id), ec);
  return {};
}

Result<HcsPlacement> HypervPlacement::prepare(const LaunchRequest& request) {
  HcsPlacement placement;
  auto layers = container_layers(request, options_.layer_folders, options_.layer_guid, "a hyperv container");
  if (!layers) return layers.error();
  placement.layers = std::move(*layers);
  auto scratch = options_.scratch();
  if (!scratch) return scratch.error();
  std::lock_guard lock(mutex_);
  auto vm_scratch = ensure_vm_scratch(**scratch, request.sandbox_id, placement.layers.back().path);
  if (!vm_scratch) {
    if (is_empty_or_missing(sandbox_folder(request.sandbox_id) / "containers")) {
      std::error_code ec;
      fs::remove_all(sandbox_folder(request.sandbox_id), ec);
    }
    return vm_scratch.error();
  }
  placement.utility_vm_scratch_vhdx = vm_scratch->string();
  const fs::path folder = container_folder(request.sandbox_id, request.container_id);
  auto disk = (*scratch)->create_sandbox(folder, layer_refs(placement.layers));
  Result<void> granted = disk ? (*scratch)->grant_vm_access(utility_vm_id_for(request.sandbox_id), *disk)
                              : Result<void>(disk.error());
  if (!granted) {
    (void)remove_container(**scratch, request.sandbox_id, request.container_id);
    return granted.error();
  }
  placement.container_scratch_vhdx = disk->string();
  auto joined = join_network(request);
  if (!joined) {
    (void)remove_container(**scratch, request.sandbox_id, request.container_id);
    return joined.error();
  }
  placement.network_namespace = joined->network.namespace_id;
  placement.vm_network = VmNetwork{joined->network.endpoint_id, joined->network.mac_address, std::move(joined->guest.ns),
                                   std::move(joined->guest.endpoint)};
  return placement;
}

Result<HypervPlacement::JoinedNetwork> HypervPlacement::join_network(const LaunchRequest& request) {
  auto network = options_.networks->join(request.sandbox_id, request.container_id);
  if (!network) return network.error();
  auto guest = options_.networks->for_guest(*network);
  if (!guest) {
    (void)options_.networks->leave(request.sandbox_id, request.container_id);
    return guest.error();
  }
  return JoinedNetwork{std::move(*network), std::move(*guest)};
}

Result<void> HypervPlacement::release(const std::string& container_id, const std::string& sandbox_id) {
  auto storage = [&]() -> Result<void> {
    std::error_code ec;
    if (!fs::exists(sandbox_folder(sandbox_id), ec)) return {};
    auto scratch = options_.scratch();
    if (!scratch) return scratch.error();
    std::lock_guard lock(mutex_);
    return remove_container(**scratch, sandbox_id, container_id);
  }();
  auto network = options_.networks->leave(sandbox_id, container_id);
  return storage ? network : storage;
}

}  // namespace silo::engine::hcs_backend
