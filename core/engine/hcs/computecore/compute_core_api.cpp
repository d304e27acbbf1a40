#include "core/engine/hcs/computecore/compute_core_api.h"

#include "core/engine/hcs/computecore/wide_text.h"
#include "core/platform/windows/win32_error.h"

#include <cwctype>

#include <string>

namespace silo::hcs::computecore {
namespace {

template <typename F>
Result<void> bind_export(const SymbolResolver& resolve, std::string_view name, F& slot) {
  auto address = resolve(name);
  if (!address) return address.error();
  slot = reinterpret_cast<F>(*address);
  return {};
}

std::wstring lower(std::wstring text) {
  for (wchar_t& c : text) c = static_cast<wchar_t>(towlower(c));
  return text;
}

// LoadLibraryEx hands back a module already loaded under the same name whatever folder it came
// from, so the System32 flag alone does not prove where the code lives: check its path.
Result<void> check_from_system32(HMODULE module) {
  wchar_t system[MAX_PATH] = {};
  wchar_t loaded[MAX_PATH] = {};
  UINT system_length = GetSystemDirectoryW(system, MAX_PATH);
  DWORD loaded_length = GetModuleFileNameW(module, loaded, MAX_PATH);
  std::wstring folder = lower(std::wstring(system, system_length)) + L"\\";
  std::wstring path = lower(std::wstring(loaded, loaded_length));
  if (system_length != 0 && path.compare(0, folder.size(), folder) == 0 &&
      path.find(L'\\', folder.size()) == std::wstring::npos) {
    return {};
  }
  return make_error(Errc::unavailable, "computecore.dll in this process was loaded from " + to_utf8(loaded) +
                                           ", not from System32; refusing to use it");
}

struct LoadedLibrary {
  HMODULE module = nullptr;
  ComputeCoreApi api;
  ~LoadedLibrary() {
    if (module != nullptr) FreeLibrary(module);
  }
};

}  // namespace

Result<ComputeCoreApi> resolve_compute_core(const SymbolResolver& resolve) {
  ComputeCoreApi api;
  SILO_TRY(bind_export(resolve, "HcsCreateOperation", api.create_operation));
  SILO_TRY(bind_export(resolve, "HcsCloseOperation", api.close_operation));
  SILO_TRY(bind_export(resolve, "HcsWaitForOperationResult", api.wait_for_operation_result));
  SILO_TRY(bind_export(resolve, "HcsWaitForOperationResultAndProcessInfo", api.wait_for_operation_result_and_process_info));
  SILO_TRY(bind_export(resolve, "HcsCancelOperation", api.cancel_operation));
  SILO_TRY(bind_export(resolve, "HcsCreateComputeSystem", api.create_compute_system));
  SILO_TRY(bind_export(resolve, "HcsOpenComputeSystem", api.open_compute_system));
  SILO_TRY(bind_export(resolve, "HcsCloseComputeSystem", api.close_compute_system));
  SILO_TRY(bind_export(resolve, "HcsStartComputeSystem", api.start_compute_system));
  SILO_TRY(bind_export(resolve, "HcsShutDownComputeSystem", api.shut_down_compute_system));
  SILO_TRY(bind_export(resolve, "HcsTerminateComputeSystem", api.terminate_compute_system));
  SILO_TRY(bind_export(resolve, "HcsGetComputeSystemProperties", api.get_compute_system_properties));
  SILO_TRY(bind_export(resolve, "HcsModifyComputeSystem", api.modify_compute_system));
  SILO_TRY(bind_export(resolve, "HcsSetComputeSystemCallback", api.set_compute_system_callback));
  SILO_TRY(bind_export(resolve, "HcsCreateProcess", api.create_process));
  SILO_TRY(bind_export(resolve, "HcsGetProcessInfo", api.get_process_info));
  SILO_TRY(bind_export(resolve, "HcsCloseProcess", api.close_process));
  SILO_TRY(bind_export(resolve, "HcsSignalProcess", api.signal_process));
  SILO_TRY(bind_export(resolve, "HcsTerminateProcess", api.terminate_process));
  SILO_TRY(bind_export(resolve, "HcsModifyProcess", api.modify_process));
  SILO_TRY(bind_export(resolve, "HcsSetProcessCallback", api.set_process_callback));
  return api;
}

Result<std::shared_ptr<const ComputeCoreApi>> load_system_compute_core() {
  auto library = std::make_shared<LoadedLibrary>();
  library->module = LoadLibraryExW(L"computecore.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (library->module == nullptr) {
    Error error = platform::windows::last_win32_error("LoadLibrary computecore.dll", Errc::unavailable);
    error.code = Errc::unavailable;
    error.message += "; install the Containers feature (Windows Server 2019 or later)";
    return error;
  }
  SILO_TRY(check_from_system32(library->module));
  HMODULE module = library->module;
  auto api = resolve_compute_core([module](std::string_view name) -> Result<void*> {
    FARPROC address = GetProcAddress(module, std::string(name).c_str());
    if (address == nullptr) {
      return make_error(Errc::unavailable, "computecore.dll has no export " + std::string(name) +
                                               " (this Windows build is older than silo supports)");
    }
    return reinterpret_cast<void*>(address);
  });
  if (!api) return api.error();
  library->api = *api;
  return std::shared_ptr<const ComputeCoreApi>(library, &library->api);
}

}  // namespace silo::hcs::computecore
