#include "storage/windows_layers/hcs_layer_files.h"

#include "core/engine/hcs/computecore/layer_id.h"
#include "core/engine/hcs/storage/layer_chain.h"
#include "core/platform/windows/backup_privileges.h"
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

// The layer's id and sizes once every entry is written: the id covers every byte sent, also
// after the end-of-archive blocks.
Result<layers::ExtractSummary> summarize(layers::DigestingSource& stream, const ImportFolderSummary& written) {
  if (written.entries == 0) return make_error(Errc::invalid_argument, "the layer has no entries; send a Windows layer tar");
  SILO_TRY(stream.drain());
  auto digest = stream.hex_digest();
  if (!digest) return digest.error();
  layers::ExtractSummary summary;
  summary.digest = std::move(*digest);
  summary.stream_bytes = stream.total_bytes();
  summary.content_bytes = written.content_bytes;
  summary.entries = written.entries;
  summary.compressed = stream.compressed();
  return summary;
}

// A folder that is itself, not a link or junction to somewhere else (hcsshim's
// EnsureNotReparsePointRelative before it processes UtilityVM).
bool is_plain_folder(const fs::path& path) {
  const DWORD attributes = GetFileAttributesW(path.wstring().c_str());
  return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0 &&
         (attributes & FILE_ATTRIBUTE_REPARSE_POINT) == 0;
}

// A folder HCS has to destroy: it has its layerchain.json (the mark every layer silo imports gets)
// and something beside it. A base layer refused at its first entry holds only the mark.
bool holds_hcs_layer(const fs::path& folder) {
  std::error_code ec;
  if (!fs::exists(folder / "layerchain.json", ec)) return false;
  for (const auto& item : fs::directory_iterator(folder, ec)) {
    if (item.path().filename() != "layerchain.json") return true;
  }
  return false;
}

}  // namespace

LayerStorageSource system_layer_storage() {
  return []() -> Result<std::shared_ptr<const hcs::storage::LayerStorage>> {
    auto api = hcs::storage::load_system_compute_storage();
    if (!api) return api.error();
    return std::make_shared<const hcs::storage::LayerStorage>(*api);
  };
}

HcsLayerFiles::HcsLayerFiles(HcsLayerFilesOptions options) : options_(std::move(options)) {
  if (!options_.storage) options_.storage = system_layer_storage();
  if (!options_.vmcompute) options_.vmcompute = [] { return hcs::storage::load_system_vmcompute_layers(); };
  if (options_.backup_write == nullptr) options_.backup_write = &::BackupWrite;
  if (!options_.layer_guid) options_.layer_guid = [](std::string_view name) { return hcs::computecore::layer_guid(name); };
}

Result<layers::ExtractSummary> HcsLayerFiles::unpack(layers::ByteSource& body, const fs::path& folder, const std::vector<fs::path>& parents) {
  auto storage = options_.storage();  // before anything is read: no computestorage, no import
  if (!storage) return storage.error();
  auto privileges = platform::windows::BackupPrivileges::enable();
  if (!privileges) return privileges.error();
  if (parents.empty()) return unpack_base_layer(body, folder);
  return unpack_child_layer(body, folder, parents, **storage);
}

Result<layers::ExtractSummary> HcsLayerFiles::unpack_base_layer(layers::ByteSource& body, const fs::path& folder) {
  auto vmcompute = options_.vmcompute();  // finish() processes the layer with it: no vmcompute, no import
  if (!vmcompute) return vmcompute.error();
  // The mark that HCS owns the folder, before the first file: whatever happens next, removal
  // destroys it with HcsDestroyLayer, which can delete files their own descriptors protect.
  SILO_TRY(hcs::storage::write_layer_chain(folder, {}));
  layers::DigestingSource stream(body, options_.limits.max_stream_bytes);
  layers::TarEntryReader tar(stream, {.max_metadata_bytes = 1 << 20, .max_name_bytes = options_.limits.max_path_bytes});
  Win32BaseLayerSink sink(folder, options_.backup_write);
  auto written = write_import_folder(tar, sink, {.base_layer = true, .in_place = true, .limits = options_.limits});
  if (!written) return written.error();
  auto summary = summarize(stream, *written);
  if (!summary) return summary.error();
  for (const auto& link : written->hard_links) SILO_TRY(create_hard_link(folder, link, {}));
  SILO_TRY(sink.reapply_folder_times());  // after the links, which touch their folders too
  return summary;
}

Result<layers::ExtractSummary> HcsLayerFiles::unpack_child_layer(layers::ByteSource& body, const fs::path& folder,
                                                                 const std::vector<fs::path>& parents,
                                                                 const hcs::storage::LayerStorage& storage) {
  std::vector<hcs::storage::LayerRef> parent_refs;
  for (const auto& parent : parents) {
    auto guid = options_.layer_guid(parent.filename().string());
    if (!guid) return guid.error();
    parent_refs.push_back({*guid, parent.string()});
  }
  ImportFolder import_folder(folder.string() + ".source");
  std::error_code ec;
  fs::remove_all(import_folder.path(), ec);
  if (!fs::create_directory(import_folder.path(), ec) || ec) {
    return make_error(Errc::internal, "cannot create " + import_folder.path().string() + ": " + ec.message());
  }

  layers::DigestingSource stream(body, options_.limits.max_stream_bytes);
  layers::TarEntryReader tar(stream, {.max_metadata_bytes = 1 << 20, .max_name_bytes = options_.limits.max_path_bytes});
  Win32FolderSink sink(import_folder.path());
  auto written = write_import_folder(tar, sink, {.base_layer = false, .limits = options_.limits});
  if (!written) return written.error();
  auto summary = summarize(stream, *written);
  if (!summary) return summary.error();

  // HCS creates the layer's folder itself; LayerStore made it, empty.
  fs::remove(folder, ec);
  SILO_TRY(storage.import_layer(folder, import_folder.path(), parent_refs));
  for (const auto& name : written->tombstones) {
    fs::remove_all(win32_path(folder, name), ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return make_error(Errc::internal, "cannot delete " + name + ", which the layer deletes: " + ec.message());
    }
  }
  for (const auto& link : written->hard_links) SILO_TRY(create_hard_link(folder, link, parents));
  return summary;
}

Result<void> HcsLayerFiles::finish(const fs::path& folder) {
  auto parents = hcs::storage::read_layer_chain(folder);
  if (!parents) return parents.error();
  if (!parents->empty()) return {};  // HcsImportLayer already made a layer with parents usable
  auto vmcompute = options_.vmcompute();
  if (!vmcompute) return vmcompute.error();
  auto privileges = platform::windows::BackupPrivileges::enable();
  if (!privileges) return privileges.error();
  HRESULT hr = (*vmcompute)->process_base_image(folder.wstring().c_str());
  if (FAILED(hr)) return hcs::storage::vmcompute_error("ProcessBaseImage '" + folder.string() + "'", hr);
  const fs::path utility_vm = folder / "UtilityVM";
  if (!is_plain_folder(utility_vm) || !is_plain_folder(utility_vm / "Files")) return {};
  hr = (*vmcompute)->process_utility_image(utility_vm.wstring().c_str());
  if (FAILED(hr)) return hcs::storage::vmcompute_error("ProcessUtilityImage '" + utility_vm.string() + "'", hr);
  return {};
}

Result<void> HcsLayerFiles::remove(const fs::path& folder) {
  std::error_code ec;
  fs::remove_all(folder.string() + ".source", ec);
  if (!fs::exists(folder, ec)) return {};
  // Only a folder HCS owns is a layer to destroy; a folder the import never reached is plain files.
  if (holds_hcs_layer(folder)) {
    auto storage = options_.storage();
    if (!storage) return storage.error();
    return (*storage)->destroy_layer(folder);
  }
  fs::remove_all(folder, ec);
  if (ec) return make_error(Errc::internal, "cannot remove " + folder.string() + ": " + ec.message());
  return {};
}

}  // namespace silo::windows_layers
