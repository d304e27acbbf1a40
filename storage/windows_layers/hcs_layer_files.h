// Layer files on Windows, the way hcsshim imports a layer tar (pkg/ociwclayer, internal/wclayer),
// with SeBackupPrivilege and SeRestorePrivilege enabled on the importing thread:
//   - a layer with parents is converted into HCS's import folder (import_folder.h) beside the
//     layer's folder, imported with computestorage's HcsImportLayer over its parents
//     (hcs/storage/layer_storage.h), and finished as hcsshim finishes its legacy import: the
//     layer's tombstoned names are deleted and its hard links created, each pointing into this
//     layer or the nearest parent that has the target. The import folder is removed afterwards;
//   - a base layer (no parent) is written in place (base_layer_sink.h, BackupWrite), then, in its
//     final folder (finish), processed with vmcompute's ProcessBaseImage and, when it carries a
//     utility VM image (UtilityVM\Files), ProcessUtilityImage on its UtilityVM folder. That makes
//     the VHDs a container's scratch and a utility VM start from.
// Every layer gets a layerchain.json (a base layer's is empty, written before its first file), the
// mark that HCS owns the folder: removal destroys such a folder with HcsDestroyLayer.
//
// The layer storage is asked for at each import and removal rather than at construction, so silod
// starts, lists and inspects layers on a host without computestorage.dll, and an import there fails
// with the loader's reason (which feature to install) instead of silod refusing to start.
#pragma once

#include "core/engine/hcs/storage/layer_storage.h"
#include "core/engine/hcs/storage/vmcompute_layer_api.h"
#include "storage/windows_layers/base_layer_sink.h"
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

// vmcompute's layer exports (ProcessBaseImage, ProcessUtilityImage), or why this host has none.
using VmcomputeLayersSource = std::function<Result<std::shared_ptr<const hcs::storage::VmcomputeLayerApi>>()>;

// computestorage.dll from System32 (hcs::storage::load_system_compute_storage), loaded when asked.
LayerStorageSource system_layer_storage();

struct HcsLayerFilesOptions {
  LayerStorageSource storage;         // default: system_layer_storage()
  VmcomputeLayersSource vmcompute;    // default: hcs::storage::load_system_vmcompute_layers
  BackupWriteFn backup_write = nullptr;  // default: ::BackupWrite
  layers::ExtractLimits limits;
  LayerGuidFn layer_guid;             // default: computecore::layer_guid
};

class HcsLayerFiles final : public layers::LayerFiles {
 public:
  explicit HcsLayerFiles(HcsLayerFilesOptions options);

  Result<layers::ExtractSummary> unpack(layers::ByteSource& body, const std::filesystem::path& folder,
                                        const std::vector<std::filesystem::path>& parents) override;
  // A base layer's processing (ProcessBaseImage, then ProcessUtilityImage when it has a utility
  // VM image); nothing for a layer with parents.
  Result<void> finish(const std::filesystem::path& folder) override;
  Result<void> remove(const std::filesystem::path& folder) override;

 private:
  Result<layers::ExtractSummary> unpack_base_layer(layers::ByteSource& body, const std::filesystem::path& folder);
  Result<layers::ExtractSummary> unpack_child_layer(layers::ByteSource& body, const std::filesystem::path& folder,
                                                    const std::vector<std::filesystem::path>& parents,
                                                    const hcs::storage::LayerStorage& storage);

  HcsLayerFilesOptions options_;
};

}  // namespace silo::windows_layers
