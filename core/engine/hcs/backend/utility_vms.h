// The utility VMs of hyperv sandboxes: one per sandbox, made by the first container that needs it
// and terminated when the last container holding it is released (remove()). Layer folders and
// mounts reach the VM as VSMB shares, each added once per VM and removed when no container of the
// VM uses it any more. Each container's scratch disk is hot-added to the VM's SCSI controller 0 on a
// LUN of its own (1..63; LUN 0 is the VM's scratch), mounted in the guest at c:\mounts\scsi\m<lun>,
// and the container's layers are combined over it there, as hcsshim places a container's storage
// in a utility VM (internal/layers/wcow_mount.go).
#pragma once

#include "core/engine/hcs/backend/hcs_handle.h"
#include "core/engine/hcs/backend/vm_network.h"
#include "core/engine/hcs/computecore/compute_system.h"
#include "core/engine/hcs/documents/container_document.h"
#include "core/engine/hcs/documents/guest_capabilities.h"
#include "core/errors.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace silo::engine::hcs_backend {

class UtilityVms {
 public:
  UtilityVms(std::shared_ptr<const hcs::computecore::ComputeCoreApi> api, hcs::computecore::Deadlines deadlines);
  ~UtilityVms();

  // The VM of `sandbox_id` for `container_id`, created from `document`, started, asked what its
  // guest can do (GuestConnection) and given `network` (when not null: the namespace in the guest
  // if the guest makes namespaces, then the endpoint as its adapter, as hcsshim's
  // SetupNetworkNamespace) when the sandbox has none yet; then each share is added unless the VM
  // already has it. Returns the VM id. On failure the container holds nothing (a VM made for it
  // alone is terminated again).
  Result<std::string> acquire(const std::string& sandbox_id, const std::string& container_id,
                              const std::function<Result<std::string>()>& document, const VmNetwork* network,
                              const std::vector<VmShare>& shares);
  // After a daemon restart: opens the sandbox's VM if this backend has not yet, and counts the
  // container, its shares and its scratch disk's LUN (0: none) again. not_found when the VM is gone.
  // A guest that cannot be asked for its capabilities is taken to have none (logged).
  Result<void> adopt(const std::string& sandbox_id, const std::string& container_id, const std::vector<VmShare>& shares,
                     unsigned scsi_lun);
  // Hot-adds `vhdx` to the sandbox's VM on the lowest free LUN, mounts it in the guest and combines
  // `guest_layers` (top-most first, guest paths) over it. Returns the LUN; the container's root in
  // the guest is hcs::wcow_scsi_mount_path(lun). On failure nothing stays attached or mounted.
  // resource_exhausted when the VM's 63 container LUNs are taken.
  Result<unsigned> attach_scratch(const std::string& sandbox_id, const std::string& container_id, const std::string& vhdx,
                                  const std::vector<hcs::LayerFolder>& guest_layers);
  // Undoes attach_scratch for a container whose compute system is gone: layers apart, disk
  // unmounted and detached, its LUN free again. Failures are logged: the VM ends with its last
  // container anyway, disks and all.
  void detach_scratch(const std::string& sandbox_id, const std::string& container_id);
  // Drops the container's hold; the last container of a sandbox terminates and closes its VM.
  void release(const std::string& sandbox_id, const std::string& container_id, const std::vector<VmShare>& shares);
  bool has_vm(const std::string& sandbox_id);
  // What the sandbox's guest said it can do; none when the sandbox has no VM here.
  std::optional<hcs::GuestCapabilities> guest(const std::string& sandbox_id);

 private:
  struct Vm {
    std::unique_ptr<hcs::computecore::ComputeSystem> system;
    hcs::GuestCapabilities guest;
    std::set<std::string> containers;
    std::map<std::string, int> share_users;
    std::map<std::string, unsigned> scratch_luns;  // container id -> LUN of its scratch disk
  };
  Result<void> add_shares(Vm& vm, const std::vector<VmShare>& shares);
  void drop_shares(Vm& vm, const std::vector<VmShare>& shares);
  void undo_scratch(Vm& vm, unsigned lun, int steps_done);

  std::shared_ptr<const hcs::computecore::ComputeCoreApi> api_;
  hcs::computecore::Deadlines deadlines_;
  std::mutex mutex_;
  std::map<std::string, Vm> vms_;  // by sandbox id
};

}  // namespace silo::engine::hcs_backend
