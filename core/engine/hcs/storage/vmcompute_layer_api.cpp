#include "core/engine/hcs/storage/vmcompute_layer_api.h"

#include "core/engine/hcs/computecore/system_api_table.h"
#include "core/platform/windows/win32_error.h"

#include <cstdint>

namespace silo::hcs::storage {
using computecore::bind_export;

namespace {

// hcsshim's reading of an HRESULT: facility WIN32 (ignoring the severity/customer bits) carries a
// Win32 error in its low 16 bits.
bool win32_facility(HRESULT hr) {
  return (static_cast<std::uint32_t>(hr) & 0x1FFF0000u) == 0x00070000u;
}

}  // namespace

bool is_transient_layer_error(HRESULT hr) {
  if (!FAILED(hr) || !win32_facility(hr)) return false;
  const std::uint32_t code = static_cast<std::uint32_t>(hr) & 0xFFFFu;
  return code == ERROR_NOT_READY || code == ERROR_DEVICE_NOT_CONNECTED;
}

Error vmcompute_error(std::string_view what, HRESULT hr) {
  Errc code = Errc::internal;
  if (is_transient_layer_error(hr)) {
    code = Errc::unavailable;  // the disk did not come up in time; trying again later may work
  } else if (win32_facility(hr)) {
    code = platform::windows::errc_for_win32(static_cast<std::uint32_t>(hr) & 0xFFFFu, Errc::internal);
  }
  return platform::windows::hresult_error(code, what, static_cast<std::int32_t>(hr));
}

Result<VmcomputeLayerApi> resolve_vmcompute_layers(const SymbolResolver& resolve) {
  VmcomputeLayerApi api;
  SILO_TRY(bind_export(resolve, "CreateSandboxLayer", api.create_sandbox_layer));
  SILO_TRY(bind_export(resolve, "ActivateLayer", api.activate_layer));
  SILO_TRY(bind_export(resolve, "PrepareLayer", api.prepare_layer));
  SILO_TRY(bind_export(resolve, "GetLayerMountPath", api.get_layer_mount_path));
  SILO_TRY(bind_export(resolve, "UnprepareLayer", api.unprepare_layer));
  SILO_TRY(bind_export(resolve, "DeactivateLayer", api.deactivate_layer));
  SILO_TRY(bind_export(resolve, "DestroyLayer", api.destroy_layer));
  SILO_TRY(bind_export(resolve, "ProcessBaseImage", api.process_base_image));
  SILO_TRY(bind_export(resolve, "ProcessUtilityImage", api.process_utility_image));
  SILO_TRY(bind_export(resolve, "GrantVmAccess", api.grant_vm_access));
  return api;
}

Result<std::shared_ptr<const VmcomputeLayerApi>> load_system_vmcompute_layers() {
  return computecore::load_system_api_table<VmcomputeLayerApi>(
      "vmcompute.dll", "install the Containers feature (Windows Server 2019 or later) to import base layers and mount container storage",
      &resolve_vmcompute_layers);
}

}  // namespace silo::hcs::storage
