// The HCS backend: process isolation (Windows Server containers, one compute system per container)
// and hyperv isolation (one utility VM per sandbox, the sandbox's containers inside it through
// HostingSystemId; a HostProcess container of a hyperv sandbox uses the HostProcess-in-VM
// document). One instance per isolation mode; the composition root builds both.
//
// Ownership of a utility VM: the VM is created with the first container of its sandbox that this
// backend creates, and terminated and closed when the last of them is removed (not when it
// exits: a stopped container's sandbox keeps its VM until the container is removed, so a sandbox
// with only exited containers still has a VM, as a Kubernetes pod sandbox does).
//
// Exits are watched in silod's process: the init process's HcsEventProcessExited gives the exit
// code, an HcsEventSystemExited that comes first is a crash. Each exit is written to exit.json in
// the container's state_dir (the same record silo-monitor writes) before it reaches the ExitSink.
// The documents ask HCS to terminate a system when its last handle closes, so containers do not
// outlive silod yet; adopt() reports what it finds (see docs/windows.md).
//
// Layers, scratch and networking are prepared elsewhere (vmcompute's layer mount, HCN); this
// backend asks its PlacementProvider for them before creating a compute system and hands them back
// when the container is removed or its create failed.
#pragma once

#include "core/clock.h"
#include "core/engine/backend.h"
#include "core/engine/hcs/computecore/compute_core_api.h"
#include "core/engine/hcs/computecore/compute_system.h"
#include "core/engine/hcs/documents/container_document.h"
#include "core/engine/hcs/backend/vm_network.h"
#include "core/engine/windows/host_capabilities.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace silo::engine::hcs_backend {

// Where a container's file system and network come from, resolved before create().
struct HcsPlacement {
  std::vector<hcs::LayerFolder> layers;  // host layer folders, top-most first, base layer last
  // process: the mounted scratch volume (\\?\Volume{GUID}\); hyperv: the guest path where the
  // container's scratch and layers are combined inside the VM.
  std::string scratch_path;
  // The sandbox's HCN namespace GUID: a process-isolated container's, and in a VM the namespace the
  // guest makes (a HostProcess container there has none of its own).
  std::optional<std::string> network_namespace;
  // hyperv: the adapter and namespace the sandbox's VM gets when it is made; none: a VM without
  // network.
  std::optional<VmNetwork> vm_network;
  // hyperv: the VM's scratch disk (a copy of <base>\UtilityVM\SystemTemplate.vhdx with VM access).
  std::string utility_vm_scratch_vhdx;
  // hyperv: the container's own scratch disk on the host (its sandbox.vhdx, with VM access), to be
  // attached to the VM's SCSI controller.
  std::string container_scratch_vhdx;
};

class PlacementProvider {
 public:
  virtual ~PlacementProvider() = default;
  // Makes the container's storage and network ready (mounted scratch, namespace joined).
  virtual Result<HcsPlacement> prepare(const LaunchRequest& request) = 0;
  // Undoes prepare() for a container that is removed or whose create failed. Idempotent: what is
  // already gone counts as released, so a retried remove finishes the job.
  virtual Result<void> release(const std::string& container_id, const std::string& sandbox_id) = 0;
};
using ComputeCoreLoader = std::function<Result<std::shared_ptr<const hcs::computecore::ComputeCoreApi>>()>;
using CapabilityProbe = std::function<windows::HostCapabilities()>;

struct HcsBackendOptions {
  Isolation isolation = Isolation::process;  // process or hyperv
  std::shared_ptr<PlacementProvider> placement;  // none: the mode is reported unavailable
  // Why there is no placement for this mode, for /v1/info (default: a generic sentence).
  std::string no_placement_reason;
  hcs::TargetOs target;           // the host's build (process) or the guest's (hyperv)
  std::uint32_t host_cpus = 1;
  ComputeCoreLoader load_api;     // default: computecore.dll from System32
  CapabilityProbe capabilities;   // default: probe_host_capabilities
  hcs::computecore::Deadlines deadlines;
};

class HcsContainer;
struct HcsHandle;
class UtilityVms;

class HcsBackend final : public Backend {
 public:
  explicit HcsBackend(HcsBackendOptions options);
  ~HcsBackend() override;

  Isolation isolation() const override { return options_.isolation; }
  Availability probe() override;
  void set_exit_sink(ExitSink sink) override;
  Result<BackendHandle> create(const LaunchRequest& request) override;
  Result<BackendHandle> start(const LaunchRequest& request, const BackendHandle& handle) override;
  // SIGKILL terminates the compute system; SIGINT sends CtrlC and any other signal CtrlShutdown to
  // the init process (hcsshim's mapping), falling back to HcsShutDownComputeSystem (at once in a
  // VM whose guest does not report SignalProcessSupported).
  Result<void> signal(const BackendHandle& handle, int signal) override;
  Result<void> terminate(const BackendHandle& handle) override;
  Result<ContainerStats> stats(const BackendHandle& handle) override;
  Result<void> exec(const BackendHandle& handle, const ExecRequest& request) override;
  Result<void> remove(const BackendHandle& handle) override;
  Result<AdoptOutcome> adopt(const BackendHandle& handle) override;

 private:
  Result<std::shared_ptr<const hcs::computecore::ComputeCoreApi>> api();
  Result<std::shared_ptr<HcsContainer>> find(const BackendHandle& handle);
  // The container's exit reporting, and whether signals reach its processes (the host's always; in
  // a VM, as its guest reported). In a VM, call once the sandbox's VM is acquired or adopted.
  std::shared_ptr<HcsContainer> new_container(const HcsHandle& handle);
  Result<BackendHandle> create_prepared(const LaunchRequest& request, const HcsPlacement& placement,
                                        const std::shared_ptr<const hcs::computecore::ComputeCoreApi>& loaded);
  Result<std::string> container_document(const LaunchRequest& request, const HcsPlacement& placement,
                                         const std::string& uvm_id);
  void deliver(const std::string& container_id, const std::string& exec_id, const ExitStatus& status);

  HcsBackendOptions options_;
  SystemClock clock_;
  std::mutex mutex_;
  std::shared_ptr<const hcs::computecore::ComputeCoreApi> api_;
  ExitSink sink_;
  std::unique_ptr<UtilityVms> vms_;
  std::map<std::string, std::shared_ptr<HcsContainer>> containers_;  // by container id
};

}  // namespace silo::engine::hcs_backend
