#include "core/engine/hcs/storage/scratch_mount.h"

#include "core/engine/hcs/computecore/wide_text.h"

#include <cctype>
#include <cwchar>
#include <mutex>
#include <system_error>
#include <thread>

namespace silo::hcs::storage {
namespace fs = std::filesystem;
namespace {

// The filter driver, with the full layer path as id: what hcsshim passes to every layer call.
const VmcomputeDriverInfo kDriverInfo{};

std::string in_quotes(const fs::path& path) {
  std::string text = "'";
  text.append(path.string()).append("'");
  return text;
}

std::string naming(std::string_view call, const fs::path& folder) {
  std::string text(call);
  text.append(" ").append(in_quotes(folder));
  return text;
}

// hcsshim lets one PrepareLayer run at a time in the process, as a workaround for "a Windows bug":
// concurrent calls time out far more often.
std::mutex& prepare_layer_mutex() {
  static std::mutex mutex;
  return mutex;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (computecore::format_guid's form, any case) as a GUID.
Result<GUID> parse_layer_guid(const LayerRef& layer) {
  const std::string& text = layer.id;
  auto refuse = [&] {
    return make_error(Errc::invalid_argument, std::string("layer ") + in_quotes(layer.path) + " has the id '" + text +
                                                  "', which is not a GUID like 01234567-89ab-cdef-0123-456789abcdef");
  };
  if (text.size() != 36) return refuse();
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_here != (text[i] == '-')) return refuse();
    if (!dash_here) {
      if (hex_value(text[i]) < 0) return refuse();
      digits.push_back(text[i]);
    }
  }
  auto number = [&](std::size_t from, std::size_t count) {
    unsigned long long value = 0;
    for (std::size_t i = from; i < from + count; ++i) value = value * 16 + static_cast<unsigned>(hex_value(digits[i]));
    return value;
  };
  GUID guid{};
  guid.Data1 = static_cast<unsigned long>(number(0, 8));
  guid.Data2 = static_cast<unsigned short>(number(8, 4));
  guid.Data3 = static_cast<unsigned short>(number(12, 4));
  for (std::size_t i = 0; i < 8; ++i) guid.Data4[i] = static_cast<unsigned char>(number(16 + 2 * i, 2));
  return guid;
}

}  // namespace

// The descriptors point into `paths`, which must outlive every call that is given them.
static Result<std::vector<VmcomputeLayerDescriptor>> descriptors_for(const std::vector<LayerRef>& layers, std::vector<std::wstring>& paths) {
  paths.clear();
  paths.reserve(layers.size());
  std::vector<VmcomputeLayerDescriptor> descriptors;
  for (const auto& layer : layers) {
    auto guid = parse_layer_guid(layer);
    if (!guid) return guid.error();
    paths.push_back(fs::path(layer.path).wstring());
    descriptors.push_back(VmcomputeLayerDescriptor{*guid, 0, paths.back().c_str()});
  }
  return descriptors;
}

Result<std::vector<VmcomputeLayerDescriptor>> ScratchMounts::sandbox_over(const fs::path& scratch_folder,
                                                                          const std::vector<LayerRef>& layers,
                                                                          std::vector<std::wstring>& paths,
                                                                          const std::string& without_layers) const {
  if (layers.empty()) return make_error(Errc::invalid_argument, without_layers);
  auto descriptors = descriptors_for(layers, paths);
  if (!descriptors) return descriptors.error();
  SILO_TRY(ensure_sandbox_vhd(scratch_folder, *descriptors));
  return descriptors;
}

Result<std::string> ScratchMounts::mount(const fs::path& scratch_folder, const std::vector<LayerRef>& layers) const {
  std::vector<std::wstring> paths;
  auto descriptors = sandbox_over(scratch_folder, layers, paths,
                                  "mounting " + in_quotes(scratch_folder) + " needs at least a base layer");
  if (!descriptors) return descriptors.error();
  SILO_TRY(attach(scratch_folder, *descriptors));
  auto path = mount_path(scratch_folder);
  if (!path) undo_attach(scratch_folder);
  return path;
}

Result<fs::path> ScratchMounts::create_sandbox(const fs::path& scratch_folder, const std::vector<LayerRef>& layers) const {
  std::vector<std::wstring> paths;
  auto descriptors = sandbox_over(scratch_folder, layers, paths,
                                  "the scratch " + in_quotes(scratch_folder) + " needs at least a base layer");
  if (!descriptors) return descriptors.error();
  return scratch_folder / "sandbox.vhdx";
}

Result<void> ScratchMounts::grant_vm_access(const std::string& vm_id, const fs::path& file) const {
  HRESULT hr = api_->grant_vm_access(computecore::to_wide(vm_id).c_str(), file.wstring().c_str());
  if (FAILED(hr)) return vmcompute_error("GrantVmAccess for " + vm_id + " to " + in_quotes(file), hr);
  return {};
}

Result<void> ScratchMounts::ensure_sandbox_vhd(const fs::path& scratch_folder,
                                               const std::vector<VmcomputeLayerDescriptor>& descriptors) const {
  std::error_code ec;
  fs::create_directories(scratch_folder, ec);
  if (ec) return make_error(Errc::internal, std::string("cannot create ") + in_quotes(scratch_folder) + ": " + ec.message());
  const fs::path vhd = scratch_folder / "sandbox.vhdx";
  const bool present = fs::exists(vhd, ec);
  if (ec) return make_error(Errc::internal, std::string("cannot look for ") + in_quotes(vhd) + ": " + ec.message());
  // A client may have made the VHD already (containerd's snapshotter does); hcsshim then keeps it.
  if (present) return {};
  // Like hcsshim's CreateScratchLayer: no parent argument (null); the parents go as descriptors.
  HRESULT hr = api_->create_sandbox_layer(&kDriverInfo, scratch_folder.wstring().c_str(), nullptr,
                                          descriptors.data(), descriptors.size());
  if (FAILED(hr)) return vmcompute_error(naming("CreateSandboxLayer", scratch_folder), hr);
  return {};
}

Result<void> ScratchMounts::attach(const fs::path& scratch_folder,
                                   const std::vector<VmcomputeLayerDescriptor>& descriptors) const {
  const std::wstring id = scratch_folder.wstring();
  for (int attempt = 1;; ++attempt) {
    const char* call = "ActivateLayer";
    HRESULT hr = api_->activate_layer(&kDriverInfo, id.c_str());
    if (SUCCEEDED(hr)) {
      {
        std::lock_guard lock(prepare_layer_mutex());
        hr = api_->prepare_layer(&kDriverInfo, id.c_str(), descriptors.data(), descriptors.size());
      }
      if (SUCCEEDED(hr)) return {};
      call = "PrepareLayer";
      // Detach again before retrying or giving up; the PrepareLayer error is the one to report.
      (void)api_->deactivate_layer(&kDriverInfo, id.c_str());
    }
    if (!is_transient_layer_error(hr)) return vmcompute_error(naming(call, scratch_folder), hr);
    if (attempt == kMaxAttempts) {
      std::string what = naming(call, scratch_folder);
      what.append(", still failing after ").append(std::to_string(kMaxAttempts)).append(" attempts");
      return vmcompute_error(what, hr);
    }
    // These errors come from the disk not being mounted yet or a loaded host; give it a moment.
    std::this_thread::sleep_for(kRetryPause);
  }
}

Result<std::string> ScratchMounts::mount_path(const fs::path& scratch_folder) const {
  const std::wstring id = scratch_folder.wstring();
  // First call: the length only (WCHARs, terminator included); second call: the text.
  SIZE_T length = 0;
  HRESULT hr = api_->get_layer_mount_path(&kDriverInfo, id.c_str(), &length, nullptr);
  if (FAILED(hr)) return vmcompute_error(naming("GetLayerMountPath", scratch_folder) + " (asking the length)", hr);
  // hcsshim returns an empty path here and lets HCS fail later; an empty Storage.Path names no
  // root, so silo says so now.
  if (length == 0) {
    return make_error(Errc::internal, naming("GetLayerMountPath", scratch_folder) + " returned no volume path");
  }
  if (length > kMaxMountPathChars) {
    return make_error(Errc::internal, naming("GetLayerMountPath", scratch_folder) + " announced a path of " +
                                          std::to_string(length) + " characters; the limit is " +
                                          std::to_string(kMaxMountPathChars));
  }
  std::vector<wchar_t> buffer(length, L'\0');
  hr = api_->get_layer_mount_path(&kDriverInfo, id.c_str(), &length, buffer.data());
  if (FAILED(hr)) return vmcompute_error(naming("GetLayerMountPath", scratch_folder), hr);
  const std::wstring wide(buffer.data(), wcsnlen(buffer.data(), buffer.size()));
  if (wide.empty()) {
    return make_error(Errc::internal, naming("GetLayerMountPath", scratch_folder) + " returned no volume path");
  }
  std::string path = fs::path(wide).string();
  // A volume root is named with its trailing backslash (\\?\Volume{GUID}\), the form HCS takes as
  // Storage.Path; without it the path names the volume device, not its root folder.
  if (path.back() != '\\') path.push_back('\\');
  return path;
}

void ScratchMounts::undo_attach(const fs::path& scratch_folder) const {
  // Best effort: the caller reports the failure that brought us here.
  const std::wstring id = scratch_folder.wstring();
  (void)api_->unprepare_layer(&kDriverInfo, id.c_str());
  (void)api_->deactivate_layer(&kDriverInfo, id.c_str());
}

Result<void> ScratchMounts::unmount(const fs::path& scratch_folder) const {
  const std::wstring id = scratch_folder.wstring();
  HRESULT hr = api_->unprepare_layer(&kDriverInfo, id.c_str());
  if (FAILED(hr)) return vmcompute_error(naming("UnprepareLayer", scratch_folder), hr);
  hr = api_->deactivate_layer(&kDriverInfo, id.c_str());
  if (FAILED(hr)) return vmcompute_error(naming("DeactivateLayer", scratch_folder), hr);
  return {};
}

Result<void> ScratchMounts::destroy(const fs::path& scratch_folder) const {
  HRESULT hr = api_->destroy_layer(&kDriverInfo, scratch_folder.wstring().c_str());
  if (FAILED(hr)) return vmcompute_error(naming("DestroyLayer", scratch_folder), hr);
  std::error_code ec;
  fs::remove_all(scratch_folder, ec);
  if (ec) return make_error(Errc::internal, std::string("cannot remove ") + in_quotes(scratch_folder) + ": " + ec.message());
  return {};
}

}  // namespace silo::hcs::storage
