#include "core/engine/hcs/placement/process_placement.h"

namespace silo::engine::hcs_backend {
namespace {

namespace fs = std::filesystem;

}  // namespace

ProcessPlacement::ProcessPlacement(ProcessPlacementOptions options) : options_(std::move(options)) {
  if (!options_.layer_guid) options_.layer_guid = system_layer_guid();
  if (!options_.scratch) options_.scratch = system_scratch_mounts();
  if (!options_.networks) options_.networks = std::make_shared<SandboxMemberships>(options_.root, system_networking());
}

fs::path ProcessPlacement::scratch_folder(const std::string& container_id) const { return options_.root / "scratch" / container_id; }

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
  auto network = options_.networks->join(request.sandbox_id, request.container_id);
  if (!network) {
    (void)remove_scratch(request.container_id);
    return network.error();
  }
  placement.network_namespace = network->namespace_id;
  return placement;
}

Result<void> ProcessPlacement::release(const std::string& container_id, const std::string& sandbox_id) {
  auto scratch = remove_scratch(container_id);
  auto network = options_.networks->leave(sandbox_id, container_id);
  return scratch ? network : scratch;
}

}  // namespace silo::engine::hcs_backend
