#include "core/engine/hcs/backend/utility_vms.h"
#include "core/engine/hcs/backend/try_assign.h"

#include "core/engine/hcs/backend/hcs_handle.h"
#include "core/engine/hcs/documents/modify_requests.h"
#include "core/logging.h"

namespace silo::engine::hcs_backend {

namespace cc = hcs::computecore;

namespace {

cc::EventHandler vm_events(const std::string& vm_id) {
  return [vm_id](const cc::Event& event) {
    // The VM's containers report their own exits (their systems end with it); this is for operators.
    if (event.kind == cc::EventKind::system_exited) {
      logging::get("hcs")->warn("utility VM {} exited: {}", vm_id, event.data);
    }
  };
}

// The guest's capabilities, as hcsshim caches them after starting a VM whose guest connection HCS holds.
Result<hcs::GuestCapabilities> read_guest(cc::ComputeSystem& vm) {
  auto named = [&](const Error& error) {
    return make_error(error.code, "utility VM " + vm.id() + ": asking the guest what it supports: " + error.message);
  };
  auto properties = vm.properties(hcs::guest_connection_query());
  if (!properties) return named(properties.error());
  auto caps = hcs::parse_guest_capabilities(*properties);
  if (!caps) return named(caps.error());
  return caps;
}

// The sandbox's network into a new VM, in hcsshim's order; the first refusal names the step. A
// guest that does not make namespaces itself gets the adapter alone (hcsshim's AddNetNS).
Result<void> add_network(cc::ComputeSystem& vm, const VmNetwork& network, const hcs::GuestCapabilities& guest) {
  std::vector<std::pair<const char*, nlohmann::ordered_json>> steps;
  if (guest.namespace_add) {
    steps.emplace_back("making the sandbox's network namespace in the guest",
                       hcs::guest_network_namespace_request(network.guest_namespace));
  }
  steps.emplace_back("announcing the network adapter to the guest",
                     hcs::network_adapter_preadd_request(network.endpoint_id, network.guest_endpoint));
  steps.emplace_back("adding the network adapter",
                     hcs::network_adapter_add_request(network.endpoint_id, network.endpoint_id, network.mac_address));
  for (const auto& [what, request] : steps) {
    auto done = vm.modify(request.dump());
    if (!done) {
      return make_error(done.error().code, "utility VM " + vm.id() + ": " + what + " (endpoint " + network.endpoint_id +
                                               "): " + done.error().message);
    }
  }
  return {};
}

}  // namespace

UtilityVms::UtilityVms(std::shared_ptr<const cc::ComputeCoreApi> api, cc::Deadlines deadlines)
    : api_(std::move(api)), deadlines_(deadlines) {}

UtilityVms::~UtilityVms() = default;  // closing a VM's last handle ends it (ShouldTerminateOnLastHandleClosed)

Result<void> UtilityVms::add_shares(Vm& vm, const std::vector<VmShare>& shares) {
  for (std::size_t i = 0; i < shares.size(); ++i) {
    const VmShare& share = shares[i];
    if (vm.share_users[share.name]++ > 0) continue;
    auto added = vm.system->modify(hcs::add_vsmb_share_request(share.name, share.host_path, share.read_only).dump());
    if (!added) {
      drop_shares(vm, std::vector<VmShare>(shares.begin(), shares.begin() + static_cast<std::ptrdiff_t>(i + 1)));
      return added.error();
    }
  }
  return {};
}

void UtilityVms::drop_shares(Vm& vm, const std::vector<VmShare>& shares) {
  for (const VmShare& share : shares) {
    auto found = vm.share_users.find(share.name);
    if (found == vm.share_users.end() || --found->second > 0) continue;
    vm.share_users.erase(found);
    auto removed = vm.system->modify(hcs::remove_vsmb_share_request(share.name, share.host_path).dump());
    if (!removed) logging::get("hcs")->warn("VM {}: {}", vm.system->id(), removed.error().message);
  }
}

Result<std::string> UtilityVms::acquire(const std::string& sandbox_id, const std::string& container_id,
                                        const std::function<Result<std::string>()>& document,
                                        const VmNetwork* network, const std::vector<VmShare>& shares) {
  std::lock_guard lock(mutex_);
  const std::string vm_id = utility_vm_id_for(sandbox_id);
  auto found = vms_.find(sandbox_id);
  const bool made_here = found == vms_.end();
  if (made_here) {
    SILO_HCS_TRY_ASSIGN(text, document());
    SILO_HCS_TRY_ASSIGN(system, cc::ComputeSystem::create(api_, vm_id, text, vm_events(vm_id), deadlines_));
    auto vm = std::make_unique<cc::ComputeSystem>(std::move(system));
    SILO_TRY(vm->start());  // on failure the handle closes and HCS ends the VM
    auto guest = [&]() -> Result<hcs::GuestCapabilities> {
      SILO_HCS_TRY_ASSIGN(capabilities, read_guest(*vm));
      if (network != nullptr) SILO_TRY(add_network(*vm, *network, capabilities));
      return capabilities;
    }();
    if (!guest) {
      (void)vm->terminate();
      return guest.error();
    }
    found = vms_.emplace(sandbox_id, Vm{std::move(vm), *guest, {}, {}, {}}).first;
  }
  auto added = add_shares(found->second, shares);
  if (!added) {
    if (made_here) {
      (void)found->second.system->terminate();
      vms_.erase(found);
    }
    return added.error();
  }
  found->second.containers.insert(container_id);
  return vm_id;
}

Result<void> UtilityVms::adopt(const std::string& sandbox_id, const std::string& container_id,
                               const std::vector<VmShare>& shares, unsigned scsi_lun) {
  std::lock_guard lock(mutex_);
  auto found = vms_.find(sandbox_id);
  if (found == vms_.end()) {
    const std::string vm_id = utility_vm_id_for(sandbox_id);
    SILO_HCS_TRY_ASSIGN(system, cc::ComputeSystem::open(api_, vm_id, vm_events(vm_id), deadlines_));
    auto vm = std::make_unique<cc::ComputeSystem>(std::move(system));
    auto guest = read_guest(*vm);
    if (!guest) logging::get("hcs")->warn("{}; taking it to support nothing optional", guest.error().message);
    found = vms_.emplace(sandbox_id, Vm{std::move(vm), guest ? *guest : hcs::GuestCapabilities{}, {}, {}, {}}).first;
  }
  found->second.containers.insert(container_id);
  for (const VmShare& share : shares) ++found->second.share_users[share.name];  // the VM has them already
  if (scsi_lun != 0) found->second.scratch_luns[container_id] = scsi_lun;
  return {};
}

// Steps of attach_scratch, undone in reverse: 3 = combined, 2 = mounted, 1 = attached.
void UtilityVms::undo_scratch(Vm& vm, unsigned lun, int steps_done) {
  const std::string root = hcs::wcow_scsi_mount_path(lun);
  std::vector<std::string> undo;
  if (steps_done >= 3) undo.push_back(hcs::uncombine_layers_guest_request(root).dump());
  if (steps_done >= 2) undo.push_back(hcs::wcow_scsi_unmount_request(lun, root).dump());
  if (steps_done >= 1) undo.push_back(hcs::scsi_detach_request(lun).dump());
  for (const std::string& request : undo) {
    auto done = vm.system->modify(request);
    if (!done) logging::get("hcs")->warn("VM {}: scratch disk on LUN {}: {}", vm.system->id(), lun, done.error().message);
  }
}

Result<unsigned> UtilityVms::attach_scratch(const std::string& sandbox_id, const std::string& container_id,
                                            const std::string& vhdx, const std::vector<hcs::LayerFolder>& guest_layers) {
  std::lock_guard lock(mutex_);
  auto found = vms_.find(sandbox_id);
  if (found == vms_.end()) return make_error(Errc::not_found, "sandbox " + sandbox_id + " has no utility VM");
  Vm& vm = found->second;
  unsigned lun = hcs::kMinContainerLun;
  auto taken = [&](unsigned candidate) {
    for (const auto& [id, used] : vm.scratch_luns) {
      if (used == candidate) return true;
    }
    return false;
  };
  while (lun <= hcs::kMaxContainerLun && taken(lun)) ++lun;
  if (lun > hcs::kMaxContainerLun) {
    return make_error(Errc::resource_exhausted, "the utility VM of sandbox " + sandbox_id + " has all " +
                                                    std::to_string(hcs::kMaxContainerLun) +
                                                    " SCSI LUNs for container scratch disks in use");
  }
  const std::string root = hcs::wcow_scsi_mount_path(lun);
  const std::string steps[] = {hcs::scsi_attach_request(lun, vhdx).dump(), hcs::wcow_scsi_mount_request(lun, root).dump(),
                               hcs::combine_layers_guest_request(root, guest_layers).dump()};
  for (int done = 0; done < 3; ++done) {
    auto result = vm.system->modify(steps[done]);
    if (!result) {
      undo_scratch(vm, lun, done);
      return result.error();
    }
  }
  vm.scratch_luns[container_id] = lun;
  return lun;
}

void UtilityVms::detach_scratch(const std::string& sandbox_id, const std::string& container_id) {
  std::lock_guard lock(mutex_);
  auto found = vms_.find(sandbox_id);
  if (found == vms_.end()) return;
  auto disk = found->second.scratch_luns.find(container_id);
  if (disk == found->second.scratch_luns.end()) return;
  undo_scratch(found->second, disk->second, 3);
  found->second.scratch_luns.erase(disk);
}

void UtilityVms::release(const std::string& sandbox_id, const std::string& container_id,
                         const std::vector<VmShare>& shares) {
  std::unique_ptr<cc::ComputeSystem> closing;
  {
    std::lock_guard lock(mutex_);
    auto found = vms_.find(sandbox_id);
    if (found == vms_.end() || found->second.containers.erase(container_id) == 0) return;
    if (!found->second.containers.empty()) {
      drop_shares(found->second, shares);
      return;
    }
    closing = std::move(found->second.system);
    vms_.erase(found);
  }
  auto ended = closing->terminate();
  if (!ended) logging::get("hcs")->warn("utility VM of sandbox {}: {}", sandbox_id, ended.error().message);
}

bool UtilityVms::has_vm(const std::string& sandbox_id) {
  std::lock_guard lock(mutex_);
  return vms_.count(sandbox_id) != 0;
}

std::optional<hcs::GuestCapabilities> UtilityVms::guest(const std::string& sandbox_id) {
  std::lock_guard lock(mutex_);
  auto found = vms_.find(sandbox_id);
  if (found == vms_.end()) return std::nullopt;
  return found->second.guest;
}

}  // namespace silo::engine::hcs_backend
