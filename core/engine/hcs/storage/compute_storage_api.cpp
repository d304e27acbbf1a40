#include "core/engine/hcs/storage/compute_storage_api.h"

#include "core/engine/hcs/computecore/system_api_table.h"
#include "core/platform/windows/win32_error.h"

#include <string>

namespace silo::hcs::storage {
using computecore::bind_export;

namespace {

Errc errc_for(HRESULT hr) {
  switch (static_cast<std::uint32_t>(hr)) {
    case 0x80070002u:  // ERROR_FILE_NOT_FOUND
    case 0x80070003u:  // ERROR_PATH_NOT_FOUND
      return Errc::not_found;
    case 0x80070005u:  // ERROR_ACCESS_DENIED
    case 0x80070522u:  // ERROR_PRIVILEGE_NOT_HELD (import needs backup/restore privileges)
      return Errc::permission_denied;
    case 0x800700B7u:  // ERROR_ALREADY_EXISTS
    case 0x80070050u:  // ERROR_FILE_EXISTS
      return Errc::already_exists;
    case 0x80070057u:  // E_INVALIDARG
      return Errc::invalid_argument;
    case 0x80070020u:  // ERROR_SHARING_VIOLATION (a layer still in use)
      return Errc::conflict;
    default:
      return Errc::internal;
  }
}

}  // namespace

Error storage_error(std::string_view what, HRESULT hr) {
  return platform::windows::hresult_error(errc_for(hr), what, static_cast<std::int32_t>(hr));
}

Result<ComputeStorageApi> resolve_compute_storage(const SymbolResolver& resolve) {
  ComputeStorageApi api;
  SILO_TRY(bind_export(resolve, "HcsImportLayer", api.import_layer));
  SILO_TRY(bind_export(resolve, "HcsExportLayer", api.export_layer));
  SILO_TRY(bind_export(resolve, "HcsDestroyLayer", api.destroy_layer));
  SILO_TRY(bind_export(resolve, "HcsSetupBaseOSLayer", api.setup_base_os_layer));
  SILO_TRY(bind_export(resolve, "HcsInitializeWritableLayer", api.initialize_writable_layer));
  SILO_TRY(bind_export(resolve, "HcsAttachLayerStorageFilter", api.attach_layer_storage_filter));
  SILO_TRY(bind_export(resolve, "HcsDetachLayerStorageFilter", api.detach_layer_storage_filter));
  SILO_TRY(bind_export(resolve, "HcsFormatWritableLayerVhd", api.format_writable_layer_vhd));
  SILO_TRY(bind_export(resolve, "HcsGetLayerVhdMountPath", api.get_layer_vhd_mount_path));
  // Older builds lack it; setup_base_os_volume stays nullptr and callers say so.
  (void)bind_export(resolve, "HcsSetupBaseOSVolume", api.setup_base_os_volume);
  return api;
}

Result<std::shared_ptr<const ComputeStorageApi>> load_system_compute_storage() {
  return computecore::load_system_api_table<ComputeStorageApi>(
      "computestorage.dll", "install the Containers feature (Windows Server 2019 or later)", &resolve_compute_storage);
}

}  // namespace silo::hcs::storage
