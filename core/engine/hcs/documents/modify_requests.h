// ModifySettingRequest documents for HcsModifyComputeSystem on a utility VM, as hcsshim builds them:
//  - the VSMB shares that carry a hosted container's layers and mounts into the VM (hcsshim
//    internal/uvm/vsmb.go, resource path "VirtualMachine/Devices/VirtualSmb/Shares");
//  - a container's scratch VHDX on the VM's SCSI controller 0 and its mount inside a Windows guest
//    (internal/uvm/scsi/backend.go: hcsHostBackend attach/detach, hcsGuestBackend mount/unmount,
//    resource path "VirtualMachine/Devices/Scsi/<controller GUID>/Attachments/<lun>");
//  - the guest's CombinedLayers request that joins the layers' VSMB shares and the mounted scratch
//    into the container's root file system, and its removal (internal/uvm/combine_layers.go
//    CombineLayersWCOW / RemoveCombinedLayersWCOW, as internal/layers/wcow_mount.go uses them for
//    WCIFS layers);
//  - the HCN namespace and endpoint of the sandbox as the VM's network (internal/uvm/network.go).
// Keys appear in the order hcsshim's Go structs declare them (encoding/json writes them so):
// ModifySettingRequest { ResourcePath, RequestType, Settings, GuestRequest }, guestrequest
// ModificationRequest { RequestType, ResourceType, Settings }, NetworkModifyRequest { AdapterId,
// RequestType, Settings }, NetworkAdapter { EndpointId, MacAddress }, Attachment { Type, Path, ... }, Layer
// { Id, Path }; fields hcsshim leaves empty under omitempty are left out here too.
// Pure functions: they never fail; check_container_lun is the separate check for a LUN.
#pragma once

#include "core/engine/hcs/documents/container_document.h"
#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace silo::hcs {

// Adds share `name` for the host folder `host_path`; read-only shares (layers, ro mounts) get the
// cached, shared-read options hcsshim gives them. The guest sees it at vsmb_guest_path(name).
nlohmann::ordered_json add_vsmb_share_request(std::string_view name, std::string_view host_path, bool read_only);

// Removes share `name` again.
nlohmann::ordered_json remove_vsmb_share_request(std::string_view name, std::string_view host_path);

// The GUID of the utility VM's SCSI controller 0 (hcsshim guestrequest.ScsiControllerGuids[0]), the
// only controller a Windows guest mounts from.
inline constexpr std::string_view kScsiController0Guid = "df6d0690-79e5-55b6-a5ec-c1e2f77f580a";

// The LUNs a container's disk may use on controller 0: LUN 0 holds the utility VM's own scratch.
inline constexpr unsigned kMinContainerLun = 1;
inline constexpr unsigned kMaxContainerLun = 63;

// invalid_argument unless kMinContainerLun <= lun <= kMaxContainerLun. Call it before the SCSI
// builders below, which take any LUN (and, like hcsshim, leave a guest request's Lun 0 out).
Result<void> check_container_lun(unsigned lun);

// Where silo mounts the disk on `lun` inside a Windows guest: c:\mounts\scsi\m<lun> (hcsshim's
// WCOWGlobalScsiMountPrefixFmt; hcsshim numbers by mount index, silo by LUN so the path is fixed for
// the disk's life).
std::string wcow_scsi_mount_path(unsigned lun);

// Attaches the host VHDX `host_vhdx_path` to controller 0 at `lun` as a read-write VirtualDisk.
nlohmann::ordered_json scsi_attach_request(unsigned lun, std::string_view host_vhdx_path);

// Detaches whatever is attached to controller 0 at `lun`.
nlohmann::ordered_json scsi_detach_request(unsigned lun);

// Mounts the disk on `lun` at `guest_path` inside the Windows guest (a GuestRequest sent through
// HCS, resource type MappedVirtualDisk), and unmounts it again with the same settings.
nlohmann::ordered_json wcow_scsi_mount_request(unsigned lun, std::string_view guest_path);
nlohmann::ordered_json wcow_scsi_unmount_request(unsigned lun, std::string_view guest_path);

// Combines `layers` (top-most first, base layer last; each Id the layer's GUID and Path its VSMB
// guest path) with the mounted scratch at `container_root_path` into the container's file system.
// No FilterType: WCIFS is the guest's default, and WS2022's inbox GCS refuses the field
// (HCS_E_INVALID_JSON, hcsshim issue #2714). No ScratchPath: the root path is the scratch.
nlohmann::ordered_json combine_layers_guest_request(std::string_view container_root_path,
                                                    const std::vector<LayerFolder>& layers);

// Undoes combine_layers_guest_request for `container_root_path`.
nlohmann::ordered_json uncombine_layers_guest_request(std::string_view container_root_path);

// A utility VM's network, in the order hcsshim's SetupNetworkNamespace sends it to a Windows guest
// (internal/uvm/network.go AddNetNS, then addNIC per endpoint):
//  1. guest_network_namespace_request: the guest makes the HCN namespace (ResourceType
//     NetworkNamespace, the namespace as hcn::namespace_for_guest gives it as Settings);
//  2. network_adapter_preadd_request: a guest-only PreAdd of adapter `adapter_id` carrying the
//     endpoint (hcn::endpoint_for_guest) in guestrequest.NetworkModifyRequest;
//  3. network_adapter_add_request: the adapter hot-added at
//     VirtualMachine/Devices/NetworkAdapters/<adapter_id> on the endpoint and its MAC, with the
//     guest's Add of the same adapter.
// No removal: silo ends a utility VM with its last container, and its adapters with it, before the
// sandbox's endpoint is deleted.
nlohmann::ordered_json guest_network_namespace_request(const nlohmann::ordered_json& hcn_namespace);
nlohmann::ordered_json network_adapter_preadd_request(std::string_view adapter_id, const nlohmann::ordered_json& hcn_endpoint);
nlohmann::ordered_json network_adapter_add_request(std::string_view adapter_id, std::string_view endpoint_id,
                                                   std::string_view mac_address);

}  // namespace silo::hcs
