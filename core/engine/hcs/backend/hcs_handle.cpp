#include "core/engine/hcs/backend/hcs_handle.h"

#include "core/engine/hcs/documents/utility_vm_document.h"

#include <nlohmann/json.hpp>

#include <system_error>

namespace silo::engine::hcs_backend {

using nlohmann::json;

namespace {

std::string utf8_path(const std::filesystem::path& path) {
  std::u8string text = path.u8string();
  return std::string(text.begin(), text.end());
}

}  // namespace

BackendHandle encode_handle(const HcsHandle& handle) {
  json shares = json::array();
  for (const VmShare& share : handle.vm_shares) {
    shares.push_back({{"name", share.name}, {"host_path", share.host_path}, {"read_only", share.read_only}});
  }
  json out = {{"backend", "hcs"},
              {"container_id", handle.container_id},
              {"system_id", handle.system_id},
              {"sandbox_id", handle.sandbox_id},
              {"utility_vm_id", handle.utility_vm_id},
              {"vm_shares", shares},
              {"scsi_lun", handle.scsi_lun},
              {"state_dir", utf8_path(handle.state_dir)},
              {"hostprocess", handle.hostprocess},
              {"started", handle.started}};
  return out.dump();
}

Result<HcsHandle> decode_handle(const BackendHandle& text) {
  json in = json::parse(text, nullptr, false);
  if (!in.is_object() || in.value("backend", "") != "hcs") {
    return make_error(Errc::invalid_argument, "backend_handle: not a handle of the HCS backend");
  }
  HcsHandle handle;
  try {
    handle.container_id = in.at("container_id").get<std::string>();
    handle.system_id = in.at("system_id").get<std::string>();
    handle.sandbox_id = in.at("sandbox_id").get<std::string>();
    handle.utility_vm_id = in.at("utility_vm_id").get<std::string>();
    for (const json& share : in.at("vm_shares")) {
      handle.vm_shares.push_back(VmShare{share.at("name").get<std::string>(), share.at("host_path").get<std::string>(),
                                         share.at("read_only").get<bool>()});
    }
    handle.scsi_lun = in.value("scsi_lun", 0U);  // absent in handles written before scratch disks
    std::string dir = in.at("state_dir").get<std::string>();
    handle.state_dir = std::filesystem::path(std::u8string(dir.begin(), dir.end()));
    handle.hostprocess = in.at("hostprocess").get<bool>();
    handle.started = in.at("started").get<bool>();
  } catch (const json::exception& e) {
    return make_error(Errc::invalid_argument, std::string("backend_handle: ") + e.what());
  }
  if (handle.system_id.empty()) return make_error(Errc::invalid_argument, "backend_handle: system_id is empty");
  return handle;
}

std::string utility_vm_id_for(const std::string& sandbox_id) { return sandbox_id + "@vm"; }

namespace {

bool is_folder(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

}  // namespace

Result<void> check_layer_chain(const std::vector<std::string>& layer_paths, bool needs_utility_vm) {
  if (layer_paths.empty()) {
    return make_error(Errc::invalid_argument,
                      "layer: a Windows container needs a layer chain ending in a base OS layer; none was given");
  }
  const std::filesystem::path base = std::filesystem::u8path(layer_paths.back());
  if (!is_folder(base / "Files") || !is_folder(base / "Hives")) {
    return make_error(Errc::invalid_argument, "layer: the chain's last layer " + layer_paths.back() +
                                                  " is not a base OS layer (it needs Files and Hives folders); "
                                                  "import a Windows base image layer as the chain's root");
  }
  if (needs_utility_vm && !is_folder(std::filesystem::u8path(hcs::utility_vm_files_path(layer_paths.back())))) {
    return make_error(Errc::invalid_argument, "layer: hyperv isolation boots the utility VM from " +
                                                  hcs::utility_vm_files_path(layer_paths.back()) +
                                                  ", which does not exist; use a base layer with UtilityVM files");
  }
  return {};
}

}  // namespace silo::engine::hcs_backend
