#include "core/engine/hcs/backend/hcs_backend.h"
#include "core/engine/hcs/backend/try_assign.h"

#include "core/engine/hcs/backend/hcs_container.h"
#include "core/engine/hcs/backend/hcs_handle.h"
#include "core/engine/hcs/backend/utility_vms.h"
#include "core/engine/hcs/documents/modify_requests.h"
#include "core/engine/hcs/documents/process_document.h"
#include "core/engine/hcs/documents/utility_vm_document.h"
#include "core/engine/monitor/monitor_files.h"
#include "core/logging.h"

#include <system_error>

namespace silo::engine::hcs_backend {

namespace cc = hcs::computecore;

namespace {

// VSMB share names for a hyperv container: layers are shared per VM by GUID, mounts per container.
std::vector<VmShare> vm_shares_for(const LaunchRequest& request, const HcsPlacement& placement) {
  std::vector<VmShare> shares;
  for (const hcs::LayerFolder& layer : placement.layers) shares.push_back({"l-" + layer.guid, layer.path, true});
  const std::string prefix = "m-" + request.container_id.substr(0, 12) + "-";
  for (std::size_t i = 0; i < request.spec.mounts.size(); ++i) {
    const MountSpec& mount = request.spec.mounts[i];
    shares.push_back({prefix + std::to_string(i), mount.source, mount.read_only});
  }
  return shares;
}

// The layers as the VM sees them: each layer's VSMB share, top-most first.
std::vector<hcs::LayerFolder> guest_layers(const LaunchRequest& request, const HcsPlacement& placement) {
  std::vector<hcs::LayerFolder> layers;
  for (const VmShare& share : vm_shares_for(request, placement)) {
    if (share.name.rfind("l-", 0) == 0) layers.push_back({share.name.substr(2), hcs::vsmb_guest_path(share.name)});
  }
  return layers;
}

std::string user_of(const LaunchRequest& request) {
  return request.config.user.empty() ? request.spec.user : request.config.user;
}

}  // namespace

HcsBackend::HcsBackend(HcsBackendOptions options) : options_(std::move(options)) {
  if (!options_.load_api) options_.load_api = cc::load_system_compute_core;
  if (!options_.capabilities) options_.capabilities = windows::probe_host_capabilities;
}

HcsBackend::~HcsBackend() {
  std::map<std::string, std::shared_ptr<HcsContainer>> containers;
  {
    std::lock_guard lock(mutex_);
    containers.swap(containers_);
  }
  for (auto& [id, container] : containers) container->close();
}

Availability HcsBackend::probe() {
  windows::HostCapabilities host = options_.capabilities();
  Availability mode = options_.isolation == Isolation::hyperv ? host.hyperv : host.process;
  // Without a placement source no container could get its layers or scratch, so a host that has
  // HCS still cannot run this mode; say that rather than offer containers that fail at create.
  if (mode.available && !options_.placement) {
    if (!options_.no_placement_reason.empty()) return {false, options_.no_placement_reason};
    return {false, "this host has the Host Compute Service, but this silod does not prepare layers, scratch and "
                   "networking for HCS containers yet (see docs/windows.md, \"silod.exe\")"};
  }
  return mode;
}

void HcsBackend::set_exit_sink(ExitSink sink) {
  std::lock_guard lock(mutex_);
  sink_ = std::move(sink);
}

void HcsBackend::deliver(const std::string& container_id, const std::string& exec_id, const ExitStatus& status) {
  ExitSink sink;
  {
    std::lock_guard lock(mutex_);
    sink = sink_;
  }
  if (sink) sink(container_id, exec_id, status);
}

Result<std::shared_ptr<const cc::ComputeCoreApi>> HcsBackend::api() {
  std::lock_guard lock(mutex_);
  if (!api_) {
    SILO_HCS_TRY_ASSIGN(loaded, options_.load_api());
    api_ = std::move(loaded);
    vms_ = std::make_unique<UtilityVms>(api_, options_.deadlines);
  }
  return api_;
}

Result<std::shared_ptr<HcsContainer>> HcsBackend::find(const BackendHandle& text) {
  SILO_HCS_TRY_ASSIGN(handle, decode_handle(text));
  std::lock_guard lock(mutex_);
  auto found = containers_.find(handle.container_id);
  if (found == containers_.end()) {
    return make_error(Errc::not_found, "container " + handle.container_id + " is not known to the HCS backend");
  }
  return found->second;
}

Result<std::string> HcsBackend::container_document(const LaunchRequest& request, const HcsPlacement& placement,
                                                   const std::string& uvm_id) {
  hcs::ContainerInputs inputs;
  inputs.target = options_.target;
  inputs.scratch_path = placement.scratch_path;
  if (uvm_id.empty()) {
    inputs.layers = placement.layers;
    inputs.network_namespace = placement.network_namespace;
    inputs.available_cpus = options_.host_cpus;
    SILO_HCS_TRY_ASSIGN(doc, hcs::process_isolated_container(request.spec, request.config, inputs));
    return hcs::to_text(doc.json);
  }
  inputs.layers = guest_layers(request, placement);
  if (!request.config.hostprocess) inputs.network_namespace = placement.network_namespace;  // the VM's, for HostProcess
  for (const VmShare& share : vm_shares_for(request, placement)) {
    if (share.name.rfind("l-", 0) != 0) inputs.mount_guest_paths.push_back(hcs::vsmb_guest_path(share.name));
  }
  inputs.available_cpus = options_.host_cpus > 1 ? 2 : 1;  // the VM's vCPUs (hcsshim's default)
  SILO_HCS_TRY_ASSIGN(doc, hcs::container_in_vm(request.spec, request.config, inputs, uvm_id));
  return hcs::to_text(doc.json);
}

std::shared_ptr<HcsContainer> HcsBackend::new_container(const HcsHandle& handle) {
  // The host signals processes itself (RS5 on); in a VM only a guest that says so does.
  const bool signals = handle.utility_vm_id.empty() ||
                       vms_->guest(handle.sandbox_id).value_or(hcs::GuestCapabilities{}).signal_process;
  return std::make_shared<HcsContainer>(
      handle, [this, id = handle.container_id](const std::string& exec_id, const ExitStatus& status) {
        deliver(id, exec_id, status);
      },
      clock_, signals);
}

Result<BackendHandle> HcsBackend::create(const LaunchRequest& request) {
  const bool in_vm = options_.isolation == Isolation::hyperv;
  if (request.config.isolation != options_.isolation) {
    return make_error(Errc::invalid_argument, "isolation: the HCS backend for " + std::string(in_vm ? "hyperv" : "process") +
                                                  " was asked for another isolation");
  }
  if (!options_.placement) {
    return make_error(Errc::failed_precondition, "the HCS backend has no layer and scratch provider configured");
  }
  SILO_HCS_TRY_ASSIGN(loaded, api());
  SILO_HCS_TRY_ASSIGN(placement, options_.placement->prepare(request));
  // From here on a failed create hands the placement back: nothing stays mounted or joined.
  auto created = create_prepared(request, placement, loaded);
  if (!created) {
    if (auto released = options_.placement->release(request.container_id, request.sandbox_id); !released) {
      logging::get("hcs")->warn("container {}: releasing its storage and network after a failed create: {}",
                                request.container_id, released.error().message);
    }
  }
  return created;
}

Result<BackendHandle> HcsBackend::create_prepared(const LaunchRequest& request, const HcsPlacement& placement,
                                                  const std::shared_ptr<const cc::ComputeCoreApi>& loaded) {
  const bool in_vm = options_.isolation == Isolation::hyperv;
  std::vector<std::string> paths;
  for (const hcs::LayerFolder& layer : placement.layers) paths.push_back(layer.path);
  SILO_TRY(check_layer_chain(paths, in_vm));
  if (in_vm && placement.utility_vm_scratch_vhdx.empty()) {
    return make_error(Errc::invalid_argument, "utility_vm_scratch_vhdx: a hyperv sandbox needs the VM's scratch disk");
  }
  if (in_vm && placement.container_scratch_vhdx.empty()) {
    return make_error(Errc::invalid_argument, "container_scratch_vhdx: a hyperv container needs its own scratch disk");
  }
  HcsHandle handle{request.container_id, request.container_id, request.sandbox_id, "", {}, 0, request.state_dir,
                   request.config.hostprocess, false};
  const std::string uvm_id = in_vm ? utility_vm_id_for(request.sandbox_id) : "";
  // In a VM the container's root is where its scratch disk is mounted, known once the disk has a
  // LUN; the document is built here first (on the first LUN's path) so a bad spec is refused
  // before any VM or disk is made, and again below with the disk's own path.
  HcsPlacement in_guest = placement;
  if (in_vm) in_guest.scratch_path = hcs::wcow_scsi_mount_path(hcs::kMinContainerLun);
  SILO_HCS_TRY_ASSIGN(document, container_document(request, in_guest, uvm_id));
  std::error_code ec;
  std::filesystem::create_directories(request.state_dir, ec);
  if (ec) return make_error(Errc::internal, "cannot create " + request.state_dir.string() + ": " + ec.message());
  if (in_vm) {
    handle.utility_vm_id = uvm_id;
    handle.vm_shares = vm_shares_for(request, placement);
    auto vm_document = [&]() -> Result<std::string> {
      hcs::UtilityVmInputs vm;
      vm.target = options_.target;
      vm.base_layer_path = placement.layers.back().path;
      vm.scratch_vhdx_path = placement.utility_vm_scratch_vhdx;
      vm.host_cpus = options_.host_cpus;
      SILO_HCS_TRY_ASSIGN(doc, hcs::utility_vm(vm));
      return hcs::to_text(doc.json);
    };
    auto acquired = vms_->acquire(request.sandbox_id, request.container_id, vm_document,
                                  placement.vm_network ? &*placement.vm_network : nullptr, handle.vm_shares);
    if (!acquired) {
      std::filesystem::remove_all(request.state_dir, ec);
      return acquired.error();
    }
    auto give_back = [&] {
      vms_->release(request.sandbox_id, request.container_id, handle.vm_shares);
      std::filesystem::remove_all(request.state_dir, ec);
    };
    // hcsshim refuses a HostProcess container in a VM whose guest does not say it runs them.
    const bool runs_hostprocess = vms_->guest(request.sandbox_id).value_or(hcs::GuestCapabilities{}).hostprocess_containers;
    if (request.config.hostprocess && !runs_hostprocess) {
      give_back();
      return make_error(Errc::failed_precondition,
                        "hostprocess: the guest of utility VM " + uvm_id +
                            " does not report HostProcessContainerSupported; HostProcess containers in a hyperv "
                            "sandbox need a guest that runs them (Windows Server 2025 or later)");
    }
    auto lun = vms_->attach_scratch(request.sandbox_id, request.container_id, placement.container_scratch_vhdx,
                                    guest_layers(request, placement));
    if (!lun) {
      give_back();
      return lun.error();
    }
    handle.scsi_lun = *lun;
    in_guest.scratch_path = hcs::wcow_scsi_mount_path(*lun);
    auto rebuilt = container_document(request, in_guest, uvm_id);
    if (!rebuilt) {
      vms_->detach_scratch(request.sandbox_id, request.container_id);
      give_back();
      return rebuilt.error();
    }
    document = std::move(*rebuilt);
  }
  auto container = new_container(handle);
  auto system = cc::ComputeSystem::create(loaded, handle.system_id, document, container->system_events(),
                                          options_.deadlines);
  if (!system) {
    if (in_vm) {
      vms_->detach_scratch(request.sandbox_id, request.container_id);
      vms_->release(request.sandbox_id, request.container_id, handle.vm_shares);
    }
    std::filesystem::remove_all(request.state_dir, ec);
    return system.error();
  }
  container->attach(std::move(*system));
  std::lock_guard lock(mutex_);
  containers_[request.container_id] = container;
  return encode_handle(handle);
}

Result<BackendHandle> HcsBackend::start(const LaunchRequest& request, const BackendHandle& handle) {
  SILO_HCS_TRY_ASSIGN(container, find(handle));
  hcs::ProcessInputs process;
  process.argv = request.spec.command;
  process.env = request.spec.env;
  process.working_dir = request.spec.working_dir;
  process.user = user_of(request);
  process.hostprocess_in_vm = options_.isolation == Isolation::hyperv && request.config.hostprocess;
  SILO_HCS_TRY_ASSIGN(parameters, hcs::process_parameters(process));
  logs::LogWriterOptions log{request.spec.log.max_size_bytes, request.spec.log.max_files};
  auto started = container->start(parameters.dump(), log);
  if (!started) {
    (void)container->terminate();  // a start that timed out or failed leaves nothing running
    return started.error();
  }
  container->handle().started = true;
  return encode_handle(container->handle());
}

Result<void> HcsBackend::remove(const BackendHandle& text) {
  SILO_HCS_TRY_ASSIGN(handle, decode_handle(text));
  std::shared_ptr<HcsContainer> container;
  {
    std::lock_guard lock(mutex_);
    auto found = containers_.find(handle.container_id);
    if (found != containers_.end()) {
      container = found->second;
      containers_.erase(found);
    }
  }
  if (container) container->close();
  if (!handle.utility_vm_id.empty() && vms_) {
    vms_->detach_scratch(handle.sandbox_id, handle.container_id);  // the container is gone: its disk may go
    vms_->release(handle.sandbox_id, handle.container_id, handle.vm_shares);
  }
  // The compute system is gone, so its storage can be unmounted and its namespace left.
  if (options_.placement) SILO_TRY(options_.placement->release(handle.container_id, handle.sandbox_id));
  std::error_code ec;
  std::filesystem::remove_all(handle.state_dir, ec);
  if (ec) return make_error(Errc::internal, "cannot remove " + handle.state_dir.string() + ": " + ec.message());
  return {};
}

}  // namespace silo::engine::hcs_backend
