// vmcompute.dll's legacy layer API, as a table of pointers resolved at run time. hcsshim mounts a
// process-isolated container's storage through these exports (internal/wclayer), not through
// computestorage.dll. Microsoft ships no header or import library for them; the shapes below are
// hcsshim's (internal/wclayer/wclayer.go, zsyscall_windows.go, layerutils.go). Never linked: silod
// must start without the Containers feature and under Wine, and the tests put a recording double
// behind the same table.
#pragma once

#include <windows.h>

#include "core/engine/hcs/storage/compute_storage_api.h"  // SymbolResolver
#include "core/errors.h"

#include <cstddef>
#include <memory>
#include <string_view>

namespace silo::hcs::storage {

// vmcompute's GraphDriverType: the legacy diff driver or the WCIFS filter driver. hcsshim always
// passes the filter driver.
inline constexpr int kFilterDriverFlavour = 1;

// vmcompute's DriverInfo. hcsshim passes the full layer path as each call's id, so home_dir is an
// empty string (not null).
struct VmcomputeDriverInfo {
  int flavour = kFilterDriverFlavour;
  PCWSTR home_dir = L"";
};

// vmcompute's WC_LAYER_DESCRIPTOR: one read-only parent layer. flags is a union whose only named
// bit (Dirty, "created from a sandbox snapshot") hcsshim never sets.
struct VmcomputeLayerDescriptor {
  GUID layer_id{};
  ULONG flags = 0;
  PCWSTR path = nullptr;
};
static_assert(sizeof(void*) != 8 || sizeof(VmcomputeLayerDescriptor) == 32, "WC_LAYER_DESCRIPTOR layout");

struct VmcomputeLayerApi {
  // Every layer call takes the driver info and the layer folder's full path.
  using LayerFn = HRESULT(WINAPI*)(const VmcomputeDriverInfo* info, PCWSTR id);
  // Descriptor counts are pointer-sized: hcsshim passes len(slice) as a uintptr, which is
  // correct whether vmcompute reads a ULONG or a SIZE_T from that argument slot.
  using CreateSandboxLayerFn = HRESULT(WINAPI*)(const VmcomputeDriverInfo* info, PCWSTR id, PCWSTR parent,
                                                const VmcomputeLayerDescriptor* descriptors, SIZE_T count);
  using PrepareLayerFn = HRESULT(WINAPI*)(const VmcomputeDriverInfo* info, PCWSTR id,
                                          const VmcomputeLayerDescriptor* descriptors, SIZE_T count);
  // length is in WCHARs, in and out; buffer null asks for the length only.
  using GetLayerMountPathFn = HRESULT(WINAPI*)(const VmcomputeDriverInfo* info, PCWSTR id, SIZE_T* length,
                                               PWSTR buffer);
  using ImageFn = HRESULT(WINAPI*)(PCWSTR path);
  using GrantVmAccessFn = HRESULT(WINAPI*)(PCWSTR vm_id, PCWSTR file_path);

  CreateSandboxLayerFn create_sandbox_layer = nullptr;
  LayerFn activate_layer = nullptr;
  PrepareLayerFn prepare_layer = nullptr;
  GetLayerMountPathFn get_layer_mount_path = nullptr;
  LayerFn unprepare_layer = nullptr;
  LayerFn deactivate_layer = nullptr;
  LayerFn destroy_layer = nullptr;
  ImageFn process_base_image = nullptr;
  ImageFn process_utility_image = nullptr;
  GrantVmAccessFn grant_vm_access = nullptr;
};

// Fills every entry through `resolve`; the first missing export is the error.
Result<VmcomputeLayerApi> resolve_vmcompute_layers(const SymbolResolver& resolve);

// vmcompute.dll from System32 only, its module path checked (computecore's System32Library).
// unavailable, with what to install, when the host has no HCS (Wine, Windows without Containers).
Result<std::shared_ptr<const VmcomputeLayerApi>> load_system_vmcompute_layers();

// "<what>: <system text> (HRESULT 0x...)" with the Errc of the Win32 error inside the HRESULT.
Error vmcompute_error(std::string_view what, HRESULT hr);

// ERROR_NOT_READY or ERROR_DEVICE_NOT_CONNECTED as an HRESULT: the two transient failures of
// ActivateLayer/PrepareLayer that hcsshim retries (seen on Windows Server 2019 under load).
bool is_transient_layer_error(HRESULT hr);

}  // namespace silo::hcs::storage
