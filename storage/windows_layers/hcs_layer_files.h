// Layer files on Windows: a layer tar (plain or gzip) is converted into HCS's import folder
// (import_folder.h) beside the layer's folder, imported with computestorage's HcsImportLayer over
// its parents (hcs/storage/layer_storage.h), and finished as hcsshim finishes its legacy import:
// the layer's tombstoned names are deleted from the imported layer and its hard links created,
// each pointing into this layer or the nearest parent that has the target. The import folder is
// removed afterwards, whatever happened. Removal destroys a layer with HcsDestroyLayer.
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

class HcsLayerFiles final : public layers::LayerFiles {
 public:
  HcsLayerFiles(std::shared_ptr<const hcs::storage::LayerStorage> storage, layers::ExtractLimits limits, LayerGuidFn layer_guid = {});

  Result<layers::ExtractSummary> unpack(layers::ByteSource& body, const std::filesystem::path& folder,
                                        const std::vector<std::filesystem::path>& parents) override;
  Result<void> remove(const std::filesystem::path& folder) override;

 private:
  std::shared_ptr<const hcs::storage::LayerStorage> storage_;
  layers::ExtractLimits limits_;
  LayerGuidFn layer_guid_;
};

}  // namespace silo::windows_layers
