#include "core/engine/hcs/storage/layer_storage.h"

#include "core/engine/hcs/computecore/wide_text.h"
#include "core/engine/hcs/storage/layer_chain.h"

#include <nlohmann/json.hpp>

#include <system_error>

namespace silo::hcs::storage {
namespace fs = std::filesystem;
namespace {

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

void remove_folder(const fs::path& folder) {
  std::error_code ec;
  fs::remove_all(folder, ec);  // best effort: the caller already reports the real failure
}

Result<void> make_folder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return make_error(Errc::internal, "cannot create " + quoted(folder) + ": " + ec.message());
  return {};
}

}  // namespace

std::string layer_data_document(const std::vector<LayerRef>& layers) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& layer : layers) list.push_back({{"Id", layer.id}, {"Path", layer.path}});
  return nlohmann::json{{"SchemaVersion", {{"Major", 2}, {"Minor", 1}}}, {"Layers", list}}.dump();
}

std::vector<std::string> parent_paths(const std::vector<LayerRef>& parents) {
  std::vector<std::string> paths;
  for (const auto& parent : parents) paths.push_back(parent.path);
  return paths;
}

Result<void> LayerStorage::import_layer(const fs::path& layer_folder, const fs::path& source_folder,
                                        const std::vector<LayerRef>& parents) const {
  std::error_code ec;
  if (fs::exists(layer_folder, ec)) return make_error(Errc::already_exists, "layer " + quoted(layer_folder) + " exists");
  const fs::path staging = layer_folder.string() + ".importing";
  remove_folder(staging);  // left by a crash during an earlier import
  SILO_TRY(make_folder(staging));
  const std::string data = layer_data_document(parents);
  HRESULT hr = api_->import_layer(staging.wstring().c_str(), source_folder.wstring().c_str(),
                                  computecore::to_wide(data).c_str());
  if (FAILED(hr)) {
    Error error = storage_error("HcsImportLayer " + quoted(source_folder), hr);
    (void)destroy_layer(staging);
    return error;
  }
  if (auto written = write_layer_chain(staging, parent_paths(parents)); !written) {
    (void)destroy_layer(staging);
    return written.error();
  }
  fs::rename(staging, layer_folder, ec);
  if (ec) {
    (void)destroy_layer(staging);
    return make_error(Errc::internal, "cannot rename " + quoted(staging) + " to " + quoted(layer_folder) + ": " +
                                          ec.message());
  }
  return {};
}

Result<void> LayerStorage::setup_base_os_volume(const fs::path& layer_folder, const std::string& volume_path,
                                                const std::string& options) const {
  if (api_->setup_base_os_volume == nullptr) {
    return make_error(Errc::unavailable,
                      "computestorage.dll has no HcsSetupBaseOSVolume (needs Windows Server 2022 or later)");
  }
  HRESULT hr = api_->setup_base_os_volume(layer_folder.wstring().c_str(), computecore::to_wide(volume_path).c_str(),
                                          computecore::to_wide(options).c_str());
  if (FAILED(hr)) return storage_error("HcsSetupBaseOSVolume " + quoted(layer_folder), hr);
  return {};
}

Result<void> LayerStorage::create_writable_layer(const fs::path& scratch_folder,
                                                 const std::vector<LayerRef>& parents) const {
  if (parents.empty()) return make_error(Errc::invalid_argument, "a writable layer needs at least a base layer");
  SILO_TRY(make_folder(scratch_folder));
  const std::wstring path = scratch_folder.wstring();
  const std::wstring data = computecore::to_wide(layer_data_document(parents));
  HRESULT hr = api_->initialize_writable_layer(path.c_str(), data.c_str(), L"");
  if (FAILED(hr)) {
    remove_folder(scratch_folder);
    return storage_error("HcsInitializeWritableLayer " + quoted(scratch_folder), hr);
  }
  hr = api_->attach_layer_storage_filter(path.c_str(), data.c_str());
  if (FAILED(hr)) {
    Error error = storage_error("HcsAttachLayerStorageFilter " + quoted(scratch_folder), hr);
    (void)destroy_layer(scratch_folder);
    return error;
  }
  if (auto written = write_layer_chain(scratch_folder, parent_paths(parents)); !written) {
    (void)remove_writable_layer(scratch_folder);
    return written.error();
  }
  return {};
}

Result<void> LayerStorage::remove_writable_layer(const fs::path& scratch_folder) const {
  HRESULT hr = api_->detach_layer_storage_filter(scratch_folder.wstring().c_str());
  if (FAILED(hr)) return storage_error("HcsDetachLayerStorageFilter " + quoted(scratch_folder), hr);
  return destroy_layer(scratch_folder);
}

Result<void> LayerStorage::destroy_layer(const fs::path& layer_folder) const {
  HRESULT hr = api_->destroy_layer(layer_folder.wstring().c_str());
  if (FAILED(hr)) return storage_error("HcsDestroyLayer " + quoted(layer_folder), hr);
  remove_folder(layer_folder);
  return {};
}

}  // namespace silo::hcs::storage
