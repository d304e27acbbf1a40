#include "core/engine/hcs/documents/modify_requests.h"

namespace silo::hcs {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kSharesPath = "VirtualMachine/Devices/VirtualSmb/Shares";

ordered_json share(std::string_view name, std::string_view host_path, bool read_only) {
  ordered_json options = ordered_json::object();
  if (read_only) {
    options["ReadOnly"] = true;
    options["ShareRead"] = true;
    options["CacheIo"] = true;
    options["PseudoOplocks"] = true;
  }
  ordered_json out;
  out["Name"] = name;
  out["Path"] = host_path;
  out["Options"] = std::move(options);
  return out;
}

// hcsshim resourcepaths.SCSIResourceFormat with controller 0.
std::string scsi_attachment_path(unsigned lun) {
  return "VirtualMachine/Devices/Scsi/" + std::string(kScsiController0Guid) + "/Attachments/" + std::to_string(lun);
}

// guestrequest.ModificationRequest: what the guest is asked to do.
ordered_json modification(std::string_view request_type, std::string_view resource_type, ordered_json settings) {
  ordered_json request;
  request["RequestType"] = request_type;
  request["ResourceType"] = resource_type;
  request["Settings"] = std::move(settings);
  return request;
}

// A ModifySettingRequest carrying only a GuestRequest.
ordered_json guest_request(std::string_view request_type, std::string_view resource_type, ordered_json settings) {
  ordered_json out;
  out["GuestRequest"] = modification(request_type, resource_type, std::move(settings));
  return out;
}

// guestresource.WCOWMappedVirtualDisk; Lun is omitempty there, so LUN 0 is left out.
ordered_json mapped_virtual_disk(unsigned lun, std::string_view guest_path) {
  ordered_json settings;
  settings["ContainerPath"] = guest_path;
  if (lun != 0) settings["Lun"] = lun;
  return settings;
}

// guestrequest.NetworkModifyRequest (Windows builds from RS5 on); Settings is omitempty.
ordered_json network_modify(std::string_view adapter_id, std::string_view request_type, ordered_json settings) {
  ordered_json out;
  out["AdapterId"] = adapter_id;
  out["RequestType"] = request_type;
  if (!settings.is_null()) out["Settings"] = std::move(settings);
  return out;
}

}  // namespace

ordered_json add_vsmb_share_request(std::string_view name, std::string_view host_path, bool read_only) {
  ordered_json out;
  out["ResourcePath"] = kSharesPath;
  out["RequestType"] = "Add";
  out["Settings"] = share(name, host_path, read_only);
  return out;
}

ordered_json remove_vsmb_share_request(std::string_view name, std::string_view host_path) {
  ordered_json settings;
  settings["Name"] = name;
  settings["Path"] = host_path;
  ordered_json out;
  out["ResourcePath"] = kSharesPath;
  out["RequestType"] = "Remove";
  out["Settings"] = std::move(settings);
  return out;
}

Result<void> check_container_lun(unsigned lun) {
  if (lun >= kMinContainerLun && lun <= kMaxContainerLun) return {};
  return make_error(Errc::invalid_argument,
                    "lun " + std::to_string(lun) + " is out of range: a container disk's SCSI LUN must be " +
                        std::to_string(kMinContainerLun) + ".." + std::to_string(kMaxContainerLun) +
                        " (LUN 0 holds the utility VM's own scratch)");
}

std::string wcow_scsi_mount_path(unsigned lun) { return "c:\\mounts\\scsi\\m" + std::to_string(lun); }

ordered_json scsi_attach_request(unsigned lun, std::string_view host_vhdx_path) {
  // hcsschema.Attachment: Type before Path; ReadOnly false is omitempty.
  ordered_json settings;
  settings["Type"] = "VirtualDisk";
  settings["Path"] = host_vhdx_path;
  ordered_json out;
  out["ResourcePath"] = scsi_attachment_path(lun);
  out["RequestType"] = "Add";
  out["Settings"] = std::move(settings);
  return out;
}

ordered_json scsi_detach_request(unsigned lun) {
  ordered_json out;
  out["ResourcePath"] = scsi_attachment_path(lun);
  out["RequestType"] = "Remove";
  return out;
}

ordered_json wcow_scsi_mount_request(unsigned lun, std::string_view guest_path) {
  return guest_request("Add", "MappedVirtualDisk", mapped_virtual_disk(lun, guest_path));
}

ordered_json wcow_scsi_unmount_request(unsigned lun, std::string_view guest_path) {
  return guest_request("Remove", "MappedVirtualDisk", mapped_virtual_disk(lun, guest_path));
}

ordered_json combine_layers_guest_request(std::string_view container_root_path,
                                          const std::vector<LayerFolder>& layers) {
  ordered_json settings;
  settings["ContainerRootPath"] = container_root_path;
  if (!layers.empty()) {  // Layers is omitempty in guestresource.WCOWCombinedLayers
    ordered_json list = ordered_json::array();
    for (const LayerFolder& layer : layers) {
      ordered_json entry;
      entry["Id"] = layer.guid;
      entry["Path"] = layer.path;
      list.push_back(std::move(entry));
    }
    settings["Layers"] = std::move(list);
  }
  return guest_request("Add", "CombinedLayers", std::move(settings));
}

ordered_json uncombine_layers_guest_request(std::string_view container_root_path) {
  ordered_json settings;
  settings["ContainerRootPath"] = container_root_path;
  return guest_request("Remove", "CombinedLayers", std::move(settings));
}

ordered_json guest_network_namespace_request(const ordered_json& hcn_namespace) {
  return guest_request("Add", "NetworkNamespace", hcn_namespace);
}

ordered_json network_adapter_preadd_request(std::string_view adapter_id, const ordered_json& hcn_endpoint) {
  return guest_request("Add", "Network", network_modify(adapter_id, "PreAdd", hcn_endpoint));
}

ordered_json network_adapter_add_request(std::string_view adapter_id, std::string_view endpoint_id,
                                         std::string_view mac_address) {
  ordered_json adapter;  // hcsschema.NetworkAdapter
  adapter["EndpointId"] = endpoint_id;
  adapter["MacAddress"] = mac_address;
  ordered_json out;
  out["ResourcePath"] = "VirtualMachine/Devices/NetworkAdapters/" + std::string(adapter_id);
  out["RequestType"] = "Add";
  out["Settings"] = std::move(adapter);
  out["GuestRequest"] = modification("Add", "Network", network_modify(adapter_id, "Add", nullptr));
  return out;
}

}  // namespace silo::hcs
