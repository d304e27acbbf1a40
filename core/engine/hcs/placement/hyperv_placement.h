// Storage for Hyper-V isolated containers, prepared the way hcsshim prepares it for a pod's utility
// VM and the containers in it (internal/wcow/scratch.go CreateUVMScratch, internal/layers
// mountHypervIsolatedWCIFSLayers):
//   - layers: the container's layer chain with its GUIDs (container_layers.h); the backend shares
//     them into the VM over VSMB;
//   - the utility VM's scratch: ROOT\vms\<sandbox id>\sandbox.vhdx, a copy of the base layer's
//     processed UtilityVM\SystemTemplate.vhdx, made by the sandbox's first container and granted to
//     the VM (GrantVmAccess with the VM's compute system id);
//   - the container's scratch: ROOT\vms\<sandbox id>\containers\<container id>\sandbox.vhdx, created
//     over the layer chain (CreateSandboxLayer) but not attached on the host: the backend hot-adds
//     it to the VM's SCSI controller. Granted to the VM too.
// The folders are the record: a container's scratch is destroyed on release, and the sandbox's
// folder (the VM's scratch with it) goes with the last container, also after a silod restart. The
// backend releases a container only after the VM let go of its disks (the VM is terminated with
// its last container).
//   - network: the sandbox's HCN namespace and endpoint (SandboxMemberships, shared with process
//     isolation), read back as the VM's guest takes them; the backend gives them to the VM it makes.
#pragma once

#include "core/engine/hcs/backend/hcs_backend.h"
#include "core/engine/hcs/placement/container_layers.h"
#include "core/engine/hcs/placement/sandbox_memberships.h"
#include "core/engine/hcs/storage/scratch_mount.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace silo::engine::hcs_backend {

struct HypervPlacementOptions {
  std::filesystem::path root;  // DATA_ROOT\hcs
  LayerFoldersFn layer_folders;
  LayerGuidFn layer_guid;  // default: computecore::layer_guid (vmcompute.dll)
  // vmcompute's layer calls; default: over vmcompute.dll from System32, loaded at the first prepare.
  ScratchMountsSource scratch;
  // The sandboxes' namespaces, shared with the process placement; default: one of its own over
  // computenetwork.dll from System32, recorded under root.
  std::shared_ptr<SandboxMemberships> networks;
};

class HypervPlacement final : public PlacementProvider {
 public:
  explicit HypervPlacement(HypervPlacementOptions options);

  // Layers, then the VM's scratch (first container of the sandbox), then the container's scratch,
  // then the sandbox's network; a failure undoes what this call made and names the step.
  // failed_precondition when the base layer has no processed utility VM image.
  Result<HcsPlacement> prepare(const LaunchRequest& request) override;
  // Destroys the container's scratch, and the sandbox's folder with its last container; leaves the
  // sandbox's network (deleting it with the last container). Every step runs; the first error is
  // returned.
  Result<void> release(const std::string& container_id, const std::string& sandbox_id) override;

  std::filesystem::path sandbox_folder(const std::string& sandbox_id) const;
  std::filesystem::path container_folder(const std::string& sandbox_id, const std::string& container_id) const;

 private:
  struct JoinedNetwork {
    hcn::SandboxNetwork network;
    hcn::SandboxNetworking::GuestView guest;
  };
  // Joins the sandbox's network and reads it back as the guest takes it; leaves again on failure.
  Result<JoinedNetwork> join_network(const LaunchRequest& request);
  Result<std::filesystem::path> ensure_vm_scratch(const hcs::storage::ScratchMounts& scratch, const std::string& sandbox_id,
                                                  const std::filesystem::path& base_layer);
  Result<void> remove_container(const hcs::storage::ScratchMounts& scratch, const std::string& sandbox_id,
                                const std::string& container_id);

  HypervPlacementOptions options_;
  std::mutex mutex_;  // one sandbox change at a time, so two containers agree on who is first and last
};

}  // namespace silo::engine::hcs_backend
