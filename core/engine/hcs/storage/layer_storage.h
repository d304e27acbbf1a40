// Windows container layers through computestorage.dll: import a layer folder, set up a base OS
// layer, initialize and attach a container's writable (scratch) layer, detach and destroy. Every
// layer silo creates gets a layerchain.json (layer_chain.h) naming its parents, nearest first.
// The HCS backend passes the resulting folders to the container documents (Storage.Layers).
#pragma once

#include "core/engine/hcs/storage/compute_storage_api.h"
#include "core/errors.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace silo::hcs::storage {

// One layer as HCS knows it: its GUID (computecore::layer_guid of the folder's base name) and folder.
struct LayerRef {
  std::string id;
  std::string path;
};

// {"SchemaVersion":{"Major":2,"Minor":1},"Layers":[{"Id":...,"Path":...}, ...]}, layers in the
// order given (nearest parent first), as hcsshim's computestorage package sends it.
std::string layer_data_document(const std::vector<LayerRef>& layers);

class LayerStorage {
 public:
  explicit LayerStorage(std::shared_ptr<const ComputeStorageApi> api) : api_(std::move(api)) {}

  // Imports `source_folder` (already in the Windows layer layout: Files/, Hives/, UtilityVM/) as
  // the layer `layer_folder` on top of `parents`. HCS writes into a staging folder beside the
  // target, which is renamed into place only after layerchain.json is written, so a failed import
  // leaves nothing at `layer_folder` and no staging folder behind. already_exists when the target is
  // there.
  Result<void> import_layer(const std::filesystem::path& layer_folder, const std::filesystem::path& source_folder,
                            const std::vector<LayerRef>& parents) const;

  // Makes an imported base layer usable by containers, on the volume mounted at `volume_path`
  // (HcsSetupBaseOSVolume; unavailable on Windows builds that lack it). `options` is HCS's JSON.
  Result<void> setup_base_os_volume(const std::filesystem::path& layer_folder, const std::string& volume_path,
                                    const std::string& options) const;

  // Creates the container's writable layer in `scratch_folder` (created if missing) over `parents`
  // and attaches the storage filter, so the folder can be a container's root. On a failed attach
  // the new layer is destroyed again.
  Result<void> create_writable_layer(const std::filesystem::path& scratch_folder,
                                     const std::vector<LayerRef>& parents) const;

  // Detaches the storage filter of a writable layer, then destroys it and removes its folder.
  Result<void> remove_writable_layer(const std::filesystem::path& scratch_folder) const;

  // Destroys any layer folder (HcsDestroyLayer) and removes what is left of it.
  Result<void> destroy_layer(const std::filesystem::path& layer_folder) const;

 private:
  std::shared_ptr<const ComputeStorageApi> api_;
};

// The parents' folder paths, nearest first: what layerchain.json holds.
std::vector<std::string> parent_paths(const std::vector<LayerRef>& parents);

}  // namespace silo::hcs::storage
