#include "core/engine/hcs/placement/container_layers.h"

#include "core/engine/hcs/computecore/layer_id.h"
#include "core/engine/hcs/storage/vmcompute_layer_api.h"

namespace silo::engine::hcs_backend {

LayerGuidFn system_layer_guid() {
  return [](std::string_view name) { return hcs::computecore::layer_guid(name); };
}

ScratchMountsSource system_scratch_mounts() {
  return []() -> Result<std::shared_ptr<const hcs::storage::ScratchMounts>> {
    auto api = hcs::storage::load_system_vmcompute_layers();
    if (!api) return api.error();
    return std::make_shared<const hcs::storage::ScratchMounts>(*api);
  };
}

Result<std::vector<hcs::LayerFolder>> container_layers(const LaunchRequest& request, const LayerFoldersFn& layer_folders,
                                                       const LayerGuidFn& layer_guid, std::string_view isolation) {
  if (!request.spec.layer) {
    return make_error(Errc::invalid_argument, "layer: " + std::string(isolation) +
                                                  " needs a root file system; import a Windows base layer with "
                                                  "POST /v1/layers (siloctl layer import) and give its id");
  }
  auto folders = layer_folders(*request.spec.layer);
  if (!folders) return folders.error();
  std::vector<hcs::LayerFolder> layers;
  for (const auto& folder : *folders) {
    auto guid = layer_guid(folder.filename().string());
    if (!guid) return guid.error();
    layers.push_back({*guid, folder.string()});
  }
  return layers;
}

std::vector<hcs::storage::LayerRef> layer_refs(const std::vector<hcs::LayerFolder>& layers) {
  std::vector<hcs::storage::LayerRef> refs;
  for (const auto& layer : layers) refs.push_back({layer.guid, layer.path});
  return refs;
}

}  // namespace silo::engine::hcs_backend
