// Layer files on Windows: a layer tar (plain or gzip) is converted into HCS's import folder
// (import_folder.h) beside the layer's folder, imported with computestorage's HcsImportLayer over
// its parents (hcs/storage/layer_storage.h), and finished as hcsshim finishes its legacy import:
// the layer's tombstoned names are deleted from the imported layer and its hard links created,
// each pointing into this layer or the nearest parent that has the target. The import folder is
// removed afterwards, whatever happened. Removal destroys a layer with HcsDestroyLayer.
//
// The layer storage is asked for at each import and removal rather than at construction, so silod
// starts, lists and inspects layers on a host without computestorage.dll, and an import there fails
// with the loader's reason (which feature to install) instead of silod refusing to start.
#pragma once

#include "core/engine/hcs/storage/layer_storage.h"
#include "storage/layers/extract_limits.h"
#include "storage/layers/layer_files.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace silo::windows_layers {

// The GUID HCS knows a layer folder by; default: computecore::layer_guid (vmcompute.dll).
using LayerGuidFn = std::function<Result<std::string>(std::string_view folder_base_name)>;

// The computestorage layer calls, or why this host has none.
using LayerStorageSource = std::function<Result<std::shared_ptr<const hcs::storage::LayerStorage>>()>;

// computestorage.dll from System32 (hcs::storage::load_system_compute_storage), loaded when asked.
LayerStorageSource system_layer_storage();

class HcsLayerFiles final : public layers::LayerFiles {
 public:
  HcsLayerFiles(LayerStorageSource storage, layers::ExtractLimits limits, LayerGuidFn layer_guid = {});
  HcsLayerFiles(std::shared_ptr<const hcs::storage::LayerStorage> storage, layers::ExtractLimits limits, LayerGuidFn layer_guid = {});

  Result<layers::ExtractSummary> unpack(layers::ByteSource& body, const std::filesystem::path& folder,
                                        const std::vector<std::filesystem::path>& parents) override;
  Result<void> remove(const std::filesystem::path& folder) override;

 private:
  LayerStorageSource storage_;
  layers::ExtractLimits limits_;
  LayerGuidFn layer_guid_;
};

}  // namespace silo::windows_layers
