// The computecore.dll functions silo calls, as a table of pointers resolved at run time. silo never
// links computecore: silod must start on hosts without the Containers feature and under Wine, and
// the tests put a recording double behind the same table. Production code resolves the table only
// from the System32 copy (load_system_compute_core); tests build it from their own DLL.
#pragma once

#include <windows.h>

#include <computecore.h>

#include "core/errors.h"

#include <functional>
#include <memory>
#include <string_view>

namespace silo::hcs::computecore {

struct ComputeCoreApi {
  decltype(&::HcsCreateOperation) create_operation = nullptr;
  decltype(&::HcsCloseOperation) close_operation = nullptr;
  decltype(&::HcsWaitForOperationResult) wait_for_operation_result = nullptr;
  decltype(&::HcsWaitForOperationResultAndProcessInfo) wait_for_operation_result_and_process_info = nullptr;
  decltype(&::HcsCancelOperation) cancel_operation = nullptr;
  decltype(&::HcsCreateComputeSystem) create_compute_system = nullptr;
  decltype(&::HcsOpenComputeSystem) open_compute_system = nullptr;
  decltype(&::HcsCloseComputeSystem) close_compute_system = nullptr;
  decltype(&::HcsStartComputeSystem) start_compute_system = nullptr;
  decltype(&::HcsShutDownComputeSystem) shut_down_compute_system = nullptr;
  decltype(&::HcsTerminateComputeSystem) terminate_compute_system = nullptr;
  decltype(&::HcsGetComputeSystemProperties) get_compute_system_properties = nullptr;
  decltype(&::HcsModifyComputeSystem) modify_compute_system = nullptr;
  decltype(&::HcsSetComputeSystemCallback) set_compute_system_callback = nullptr;
  decltype(&::HcsCreateProcess) create_process = nullptr;
  decltype(&::HcsGetProcessInfo) get_process_info = nullptr;
  decltype(&::HcsCloseProcess) close_process = nullptr;
  decltype(&::HcsSignalProcess) signal_process = nullptr;
  decltype(&::HcsTerminateProcess) terminate_process = nullptr;
  decltype(&::HcsModifyProcess) modify_process = nullptr;
  decltype(&::HcsSetProcessCallback) set_process_callback = nullptr;
};

// Looks up one export by name; not_found naming it when the DLL lacks it.
using SymbolResolver = std::function<Result<void*>(std::string_view export_name)>;

// Fills every entry through `resolve`; the first missing export is the error.
Result<ComputeCoreApi> resolve_compute_core(const SymbolResolver& resolve);

// computecore.dll from System32 only (LoadLibraryExW with LOAD_LIBRARY_SEARCH_SYSTEM32, so a DLL
// planted beside silod is never used). The table keeps the module loaded for as long as it lives.
// unavailable, with what to install, when the host has no HCS (Wine, Windows without Containers).
// (core/engine/windows/system_library.h, from the host-capabilities work, loads DLLs the same way;
// the HCS client keeps its own system32_library.h, which also checks the loaded module's path,
// until the two are merged.)
Result<std::shared_ptr<const ComputeCoreApi>> load_system_compute_core();

}  // namespace silo::hcs::computecore
