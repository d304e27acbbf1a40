// The BackendHandle of an HCS container: what adopt() needs to find it again after a restart.
#pragma once

#include "core/engine/backend.h"
#include "core/errors.h"

#include <filesystem>
#include <string>
#include <vector>

namespace silo::engine::hcs_backend {

// A folder shared into a utility VM over VSMB (a layer or a mount).
struct VmShare {
  std::string name;       // the share name, unique in its VM
  std::string host_path;  // the host folder
  bool read_only = true;
};

struct HcsHandle {
  std::string container_id;
  std::string system_id;     // the HCS compute system id (the container id)
  std::string sandbox_id;
  std::string utility_vm_id; // empty for process isolation
  std::vector<VmShare> vm_shares;  // VSMB shares this container holds in the VM
  unsigned scsi_lun = 0;  // hyperv: its scratch disk's LUN on the VM's SCSI controller 0 (0: none)
  std::filesystem::path state_dir;
  bool hostprocess = false;
  bool started = false;
};

BackendHandle encode_handle(const HcsHandle& handle);
// invalid_argument naming the field when the text is not a handle this backend made.
Result<HcsHandle> decode_handle(const BackendHandle& text);

// The id of a hyperv sandbox's utility VM, as hcsshim's shim names it.
std::string utility_vm_id_for(const std::string& sandbox_id);

// Checks the layer chain before anything is created: at least one layer, the last one a base OS
// layer (a Files and a Hives folder), and for hyperv its UtilityVM\Files. invalid_argument naming
// the field and the folder otherwise.
Result<void> check_layer_chain(const std::vector<std::string>& layer_paths, bool needs_utility_vm);

}  // namespace silo::engine::hcs_backend
