// The HcsBackend calls on a created container: signals, terminate, stats, exec and adopt.
#include "core/engine/hcs/backend/hcs_backend.h"
#include "core/engine/hcs/backend/try_assign.h"
#include "core/engine/hcs/backend/hcs_container.h"
#include "core/engine/hcs/backend/hcs_handle.h"
#include "core/engine/hcs/backend/utility_vms.h"
#include "core/engine/hcs/documents/process_document.h"
#include "core/engine/monitor/monitor_files.h"

namespace silo::engine::hcs_backend {

namespace cc = hcs::computecore;

Result<void> HcsBackend::signal(const BackendHandle& handle, int signal) {
  SILO_HCS_TRY_ASSIGN(container, find(handle));
  return container->signal(signal);
}

Result<void> HcsBackend::terminate(const BackendHandle& handle) {
  SILO_HCS_TRY_ASSIGN(container, find(handle));
  return container->terminate();
}

Result<ContainerStats> HcsBackend::stats(const BackendHandle& handle) {
  SILO_HCS_TRY_ASSIGN(container, find(handle));
  return container->stats();
}

Result<void> HcsBackend::exec(const BackendHandle& handle, const ExecRequest& request) {
  SILO_HCS_TRY_ASSIGN(container, find(handle));
  hcs::ProcessInputs process;
  process.argv = request.command;
  process.env = request.env;
  process.working_dir = request.working_dir;
  process.user = request.user;
  process.hostprocess_in_vm = options_.isolation == Isolation::hyperv && container->handle().hostprocess;
  SILO_HCS_TRY_ASSIGN(parameters, hcs::process_parameters(process));
  return container->exec(request.exec_id, parameters.dump(), request.state_dir);
}

Result<AdoptOutcome> HcsBackend::adopt(const BackendHandle& text) {
  SILO_HCS_TRY_ASSIGN(handle, decode_handle(text));
  SILO_HCS_TRY_ASSIGN(recorded, monitor::read_exit_status(handle.state_dir));
  if (recorded) return AdoptOutcome{false, recorded, text};
  SILO_HCS_TRY_ASSIGN(loaded, api());
  auto gone = [&](const std::string& what) -> Result<AdoptOutcome> {
    ExitStatus status{255, std::nullopt, false, clock_.now(), what + " ended while silod was down; its exit code is lost"};
    SILO_TRY(monitor::write_exit_status(handle.state_dir, status));
    return AdoptOutcome{false, status, text};
  };
  if (!handle.utility_vm_id.empty()) {
    auto vm = vms_->adopt(handle.sandbox_id, handle.container_id, handle.vm_shares, handle.scsi_lun);
    if (!vm && vm.error().code == Errc::not_found) return gone("the utility VM " + handle.utility_vm_id);
    if (!vm) return vm.error();
  }
  auto container = new_container(handle);
  auto system = cc::ComputeSystem::open(loaded, handle.system_id, container->system_events(), options_.deadlines);
  if (!system && system.error().code == Errc::not_found) return gone("the compute system " + handle.system_id);
  if (!system) return system.error();
  container->attach(std::move(*system));
  {
    std::lock_guard lock(mutex_);
    containers_[handle.container_id] = container;
  }
  // The init process's stdio cannot be reopened: its exit now arrives as the system's exit.
  return AdoptOutcome{handle.started, std::nullopt, text};
}

}  // namespace silo::engine::hcs_backend
