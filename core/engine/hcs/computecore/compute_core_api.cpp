#include "core/engine/hcs/computecore/compute_core_api.h"

#include "core/engine/hcs/computecore/system_api_table.h"

#include <string>

namespace silo::hcs::computecore {
namespace {}  // namespace

Result<ComputeCoreApi> resolve_compute_core(const SymbolResolver& resolve) {
  ComputeCoreApi api;
  SILO_TRY(bind_export(resolve, "HcsCreateOperation", api.create_operation));
  SILO_TRY(bind_export(resolve, "HcsCloseOperation", api.close_operation));
  SILO_TRY(bind_export(resolve, "HcsWaitForOperationResult", api.wait_for_operation_result));
  SILO_TRY(
      bind_export(resolve, "HcsWaitForOperationResultAndProcessInfo", api.wait_for_operation_result_and_process_info));
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
  return load_system_api_table<ComputeCoreApi>(
      "computecore.dll", "install the Containers feature (Windows Server 2019 or later)", &resolve_compute_core);
}

}  // namespace silo::hcs::computecore
