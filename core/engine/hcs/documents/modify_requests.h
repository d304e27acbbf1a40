// ModifySettingRequest documents for HcsModifyComputeSystem on a utility VM: the VSMB shares that
// carry a hosted container's layers and mounts into the VM (hcsshim internal/uvm/vsmb.go,
// resource path "VirtualMachine/Devices/VirtualSmb/Shares").
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace silo::hcs {

// Adds share `name` for the host folder `host_path`; read-only shares (layers, ro mounts) get the
// cached, shared-read options hcsshim gives them. The guest sees it at vsmb_guest_path(name).
nlohmann::ordered_json add_vsmb_share_request(std::string_view name, std::string_view host_path, bool read_only);

// Removes share `name` again.
nlohmann::ordered_json remove_vsmb_share_request(std::string_view name, std::string_view host_path);

}  // namespace silo::hcs
