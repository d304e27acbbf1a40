// Mounting a process-isolated container's storage the way hcsshim does it
// (internal/layers/wcow_mount.go, mountProcessIsolatedWCIFSLayers): the scratch folder's
// sandbox.vhdx is attached (ActivateLayer), the WCIFS filter is put on it over the read-only layers
// (PrepareLayer), and the volume it appears as (GetLayerMountPath) is what the container document
// names as Storage.Path. All through vmcompute.dll's legacy layer API (vmcompute_layer_api.h).
#pragma once

#include "core/engine/hcs/storage/layer_storage.h"  // LayerRef
#include "core/engine/hcs/storage/vmcompute_layer_api.h"
#include "core/errors.h"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace silo::hcs::storage {

class ScratchMounts {
 public:
  // hcsshim's retry of ActivateLayer + PrepareLayer on the two transient errors
  // (is_transient_layer_error): 5 attempts, 100 ms apart.
  static constexpr int kMaxAttempts = 5;
  static constexpr std::chrono::milliseconds kRetryPause{100};
  // The longest volume path silo accepts from GetLayerMountPath, in WCHARs with the terminator:
  // Windows' limit for a \\?\ path. A volume GUID path is 50.
  static constexpr std::size_t kMaxMountPathChars = 32767;

  explicit ScratchMounts(std::shared_ptr<const VmcomputeLayerApi> api) : api_(std::move(api)) {}

  // Mounts the writable layer in `scratch_folder` (created, with its sandbox.vhdx, when missing)
  // over `layers`, the read-only layers top-most first and the base last, each with its GUID
  // (computecore::layer_guid). Returns the volume path, "\\?\Volume{GUID}\" with its trailing
  // backslash. On a failure after the VHD was attached, the filter is removed and the VHD detached
  // again, so nothing stays mounted.
  Result<std::string> mount(const std::filesystem::path& scratch_folder, const std::vector<LayerRef>& layers) const;

  // Creates the writable layer's sandbox.vhdx in `scratch_folder` (and the folder) over `layers`
  // when it is missing (CreateSandboxLayer), without attaching it: a Hyper-V isolated container's
  // scratch is attached to its utility VM instead. Returns the VHD's path.
  Result<std::filesystem::path> create_sandbox(const std::filesystem::path& scratch_folder, const std::vector<LayerRef>& layers) const;

  // Lets the compute system `vm_id` open `file` (GrantVmAccess), as hcsshim does for every disk it
  // gives a utility VM.
  Result<void> grant_vm_access(const std::string& vm_id, const std::filesystem::path& file) const;

  // Removes the filter (UnprepareLayer), then detaches the VHD (DeactivateLayer). Stops at the
  // first failure, as hcsshim does: detaching a disk whose filter is still attached is not safe.
  Result<void> unmount(const std::filesystem::path& scratch_folder) const;

  // Destroys the writable layer (DestroyLayer) and removes what is left of its folder.
  Result<void> destroy(const std::filesystem::path& scratch_folder) const;

 private:
  // The layers' descriptors (pointing into `paths`) once `scratch_folder` has its sandbox.vhdx;
  // invalid_argument with `without_layers` when there are no layers.
  Result<std::vector<VmcomputeLayerDescriptor>> sandbox_over(const std::filesystem::path& scratch_folder,
                                                             const std::vector<LayerRef>& layers,
                                                             std::vector<std::wstring>& paths,
                                                             const std::string& without_layers) const;
  Result<void> ensure_sandbox_vhd(const std::filesystem::path& scratch_folder,
                                  const std::vector<VmcomputeLayerDescriptor>& descriptors) const;
  Result<void> attach(const std::filesystem::path& scratch_folder,
                      const std::vector<VmcomputeLayerDescriptor>& descriptors) const;
  Result<std::string> mount_path(const std::filesystem::path& scratch_folder) const;
  void undo_attach(const std::filesystem::path& scratch_folder) const;

  std::shared_ptr<const VmcomputeLayerApi> api_;
};

}  // namespace silo::hcs::storage
