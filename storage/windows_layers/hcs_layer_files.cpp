#include "storage/windows_layers/hcs_layer_files.h"

#include "core/engine/hcs/computecore/layer_id.h"
#include "core/platform/windows/win32_error.h"
#include "storage/layers/digesting_source.h"
#include "storage/layers/tar_entry_reader.h"
#include "storage/windows_layers/import_folder.h"
#include "storage/windows_layers/win32_folder_sink.h"

#include <windows.h>

namespace silo::windows_layers {
namespace {

namespace fs = std::filesystem;

// The import folder lives beside the layer's folder (under the store's tmp/, which start-up
// recovery empties) and goes away on every path out.
class ImportFolder {
 public:
  explicit ImportFolder(fs::path path) : path_(std::move(path)) {}
  ~ImportFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Result<void> create_hard_link(const fs::path& layer, const PendingHardLink& link, const std::vector<fs::path>& parents) {
  std::vector<fs::path> candidates;
  if (link.target_in_this_layer) candidates.push_back(layer);
  candidates.insert(candidates.end(), parents.begin(), parents.end());
  for (const auto& root : candidates) {
    const std::wstring target = win32_path(root, link.target);
    if (GetFileAttributesW(target.c_str()) == INVALID_FILE_ATTRIBUTES) continue;
    if (!CreateHardLinkW(win32_path(layer, link.name).c_str(), target.c_str(), nullptr)) {
      return platform::windows::win32_error(Errc::internal, "cannot link " + link.name + " to " + link.target, GetLastError());
    }
    return {};
  }
  return make_error(Errc::invalid_argument, "the hard link " + link.name + " points at " + link.target +
                                                ", which is in neither this layer nor its parents");
}

}  // namespace

LayerStorageSource system_layer_storage() {
  return []() -> Result<std::shared_ptr<const hcs::storage::LayerStorage>> {
    auto api = hcs::storage::load_system_compute_storage();
    if (!api) return api.error();
    return std::make_shared<const hcs::storage::LayerStorage>(*api);
  };
}

HcsLayerFiles::HcsLayerFiles(LayerStorageSource storage, layers::ExtractLimits limits, LayerGuidFn layer_guid)
    : storage_(std::move(storage)), limits_(limits), layer_guid_(std::move(layer_guid)) {
  if (!layer_guid_) layer_guid_ = [](std::string_view name) { return hcs::computecore::layer_guid(name); };
}

HcsLayerFiles::HcsLayerFiles(std::shared_ptr<const hcs::storage::LayerStorage> storage, layers::ExtractLimits limits, LayerGuidFn layer_guid)
    : HcsLayerFiles([storage = std::move(storage)]() -> Result<std::shared_ptr<const hcs::storage::LayerStorage>> { return storage; },
                    limits, std::move(layer_guid)) {}

Result<layers::ExtractSummary> HcsLayerFiles::unpack(layers::ByteSource& body, const fs::path& folder, const std::vector<fs::path>& parents) {
  auto storage = storage_();  // before anything is read: no computestorage, no import
  if (!storage) return storage.error();
  std::vector<hcs::storage::LayerRef> parent_refs;
  for (const auto& parent : parents) {
    auto guid = layer_guid_(parent.filename().string());
    if (!guid) return guid.error();
    parent_refs.push_back({*guid, parent.string()});
  }
  ImportFolder import_folder(folder.string() + ".source");
  std::error_code ec;
  fs::remove_all(import_folder.path(), ec);
  if (!fs::create_directory(import_folder.path(), ec) || ec) {
    return make_error(Errc::internal, "cannot create " + import_folder.path().string() + ": " + ec.message());
  }

  layers::DigestingSource stream(body, limits_.max_stream_bytes);
  layers::TarEntryReader tar(stream, {.max_metadata_bytes = 1 << 20, .max_name_bytes = limits_.max_path_bytes});
  Win32FolderSink sink(import_folder.path());
  auto written = write_import_folder(tar, sink, {.base_layer = parents.empty(), .limits = limits_});
  if (!written) return written.error();
  if (written->entries == 0) return make_error(Errc::invalid_argument, "the layer has no entries; send a Windows layer tar");
  SILO_TRY(stream.drain());  // the id covers every byte sent, also after the end-of-archive blocks
  auto digest = stream.hex_digest();
  if (!digest) return digest.error();

  // HCS creates the layer's folder itself; LayerStore made it, empty.
  fs::remove(folder, ec);
  SILO_TRY((*storage)->import_layer(folder, import_folder.path(), parent_refs));
  for (const auto& name : written->tombstones) {
    fs::remove_all(win32_path(folder, name), ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return make_error(Errc::internal, "cannot delete " + name + ", which the layer deletes: " + ec.message());
    }
  }
  for (const auto& link : written->hard_links) SILO_TRY(create_hard_link(folder, link, parents));

  layers::ExtractSummary summary;
  summary.digest = std::move(*digest);
  summary.stream_bytes = stream.total_bytes();
  summary.content_bytes = written->content_bytes;
  summary.entries = written->entries;
  summary.compressed = stream.compressed();
  return summary;
}

Result<void> HcsLayerFiles::remove(const fs::path& folder) {
  std::error_code ec;
  fs::remove_all(folder.string() + ".source", ec);
  if (!fs::exists(folder, ec)) return {};
  // Only what HCS imported is a layer to destroy (LayerStorage gives each one a layerchain.json);
  // a folder the import never reached is plain files.
  if (fs::exists(folder / "layerchain.json", ec)) {
    auto storage = storage_();
    if (!storage) return storage.error();
    return (*storage)->destroy_layer(folder);
  }
  fs::remove_all(folder, ec);
  if (ec) return make_error(Errc::internal, "cannot remove " + folder.string() + ": " + ec.message());
  return {};
}

}  // namespace silo::windows_layers
