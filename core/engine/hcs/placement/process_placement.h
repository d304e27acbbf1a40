// Storage and network for process-isolated (Argon) containers, prepared the way hcsshim prepares
// them for a Windows Server container:
//   - layers: the container's top layer id resolved to its chain of layer folders (the layer
//     store /v1/layers serves), each with the GUID HCS knows it by (vmcompute's NameToGuid);
//   - scratch: a writable layer per container in ROOT\scratch\<container id>, mounted over that
//     chain through vmcompute's legacy layer API (storage::ScratchMounts); its volume path is the
//     document's Storage.Path;
//   - network: one HCN namespace per sandbox (SandboxMemberships), shared by the sandbox's
//     containers like a pod's, and left when its last container is released.
// vmcompute.dll and computenetwork.dll are loaded at the first prepare, not at start: silod starts
// on hosts without them, and the backend's probe says why process isolation is unavailable there.
#pragma once

#include "core/engine/hcs/backend/hcs_backend.h"
#include "core/engine/hcs/placement/container_layers.h"
#include "core/engine/hcs/placement/sandbox_memberships.h"
#include "core/engine/hcs/storage/scratch_mount.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace silo::engine::hcs_backend {

struct ProcessPlacementOptions {
  std::filesystem::path root;  // DATA_ROOT\hcs
  LayerFoldersFn layer_folders;
  LayerGuidFn layer_guid;  // default: computecore::layer_guid (vmcompute.dll)
  // The scratch mounter; default: over vmcompute.dll from System32.
  ScratchMountsSource scratch;
  // The sandboxes' namespaces, shared with the Hyper-V placement; default: one of its own over
  // computenetwork.dll from System32, recorded under root.
  std::shared_ptr<SandboxMemberships> networks;
};

class ProcessPlacement final : public PlacementProvider {
 public:
  explicit ProcessPlacement(ProcessPlacementOptions options);

  // Layers, then the scratch mount, then the sandbox's namespace; a failure undoes what this call
  // did (the mount is removed and the scratch destroyed) and names the step.
  Result<HcsPlacement> prepare(const LaunchRequest& request) override;
  // Unmounts and destroys the scratch, then leaves the sandbox's namespace (deleting it with the
  // last container). Every step runs; the first error is returned.
  Result<void> release(const std::string& container_id, const std::string& sandbox_id) override;

  std::filesystem::path scratch_folder(const std::string& container_id) const;

 private:
  Result<void> remove_scratch(const std::string& container_id) const;

  ProcessPlacementOptions options_;
};

}  // namespace silo::engine::hcs_backend
