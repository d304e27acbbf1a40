// The computestorage.dll functions silo calls for layers, as a table of pointers resolved at run
// time. Like computecore, computestorage is never linked: silod must start on hosts without the
// Containers feature and under Wine, and the tests put a recording double behind the same table.
#pragma once

#include <windows.h>

#include <computestorage.h>

#include "core/errors.h"

#include <functional>
#include <memory>
#include <string_view>

namespace silo::hcs::storage {

struct ComputeStorageApi {
  decltype(&::HcsImportLayer) import_layer = nullptr;
  decltype(&::HcsExportLayer) export_layer = nullptr;
  decltype(&::HcsDestroyLayer) destroy_layer = nullptr;
  decltype(&::HcsSetupBaseOSLayer) setup_base_os_layer = nullptr;
  decltype(&::HcsInitializeWritableLayer) initialize_writable_layer = nullptr;
  decltype(&::HcsAttachLayerStorageFilter) attach_layer_storage_filter = nullptr;
  decltype(&::HcsDetachLayerStorageFilter) detach_layer_storage_filter = nullptr;
  decltype(&::HcsFormatWritableLayerVhd) format_writable_layer_vhd = nullptr;
  decltype(&::HcsGetLayerVhdMountPath) get_layer_vhd_mount_path = nullptr;
  // Only on Windows Server 2022 / Windows 11 and later; nullptr when the DLL lacks it.
  decltype(&::HcsSetupBaseOSVolume) setup_base_os_volume = nullptr;
};

// Looks up one export by name; an error when the DLL lacks it.
using SymbolResolver = std::function<Result<void*>(std::string_view export_name)>;

// Fills every entry through `resolve`; the first missing required export is the error
// (HcsSetupBaseOSVolume is optional).
Result<ComputeStorageApi> resolve_compute_storage(const SymbolResolver& resolve);

// computestorage.dll from System32 only, its module path checked (computecore's System32Library).
// unavailable, with what to install, when the host has no HCS (Wine, Windows without Containers).
Result<std::shared_ptr<const ComputeStorageApi>> load_system_compute_storage();

// "<what>: <system text> (HRESULT 0x...)" with an Errc for the common HRESULTs.
Error storage_error(std::string_view what, HRESULT hr);

}  // namespace silo::hcs::storage
