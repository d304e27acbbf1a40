// HCS schema 2.1 ComputeSystem documents for containers, built from silo's specs as hcsshim builds
// them (internal/hcsoci/create.go, hcsdoc_wcow.go):
//  - a process-isolated container (Argon): { Owner, SchemaVersion, Container, ShouldTerminate... }
//    with the scratch volume, the read-only layers, mounts, network namespace and limits;
//  - a container inside a utility VM (Xenon): { Owner, SchemaVersion, HostingSystemId,
//    HostedSystem: { SchemaVersion, Container }, ShouldTerminate... }, all paths as the guest sees them;
//  - a HostProcess container inside a utility VM (hcsshim PR #2531): the hosted form with
//    Container.IsolationType "HostProcess", Storage.PrivilegedContainerRootPath when a rootfs
//    location was asked for, and no network. WS2025 (build 26100) guests only.
// Pure functions: every host fact (layer folders, scratch, CPUs, build) is an explicit input.
#pragma once

#include "core/engine/hcs/documents/target_os.h"
#include "core/errors.h"
#include "core/model/container_spec.h"
#include "core/model/hostprocess_rules.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace silo::hcs {

// A read-only layer folder and its GUID. The GUID is what vmcompute's NameToGuid returns for the
// folder's base name (hcsshim wclayer.LayerID); Microsoft has not published that algorithm, so it
// is an input here, obtained on Windows when the layer is laid out.
struct LayerFolder {
  std::string guid;  // 8-4-4-4-12 hex, no braces
  std::string path;
};

struct ContainerInputs {
  std::string owner = "silod";
  TargetOs target;
  std::vector<LayerFolder> layers;  // read-only layers, top-most first, base layer last
  // Argon: the mounted scratch volume, \\?\Volume{GUID}\. In a VM: the guest path of the scratch mount.
  std::string scratch_path;
  std::optional<std::string> network_namespace;  // HCN namespace GUID (not for HostProcess)
  // The processors the container may use: the host's logical processors for Argon, the VM's vCPUs.
  std::uint32_t available_cpus = 0;
  // In a VM only: for each spec mount, in order, the guest path of the VSMB share that carries it.
  std::vector<std::string> mount_guest_paths;
};

struct Document {
  nlohmann::ordered_json json;
  std::vector<std::string> warnings;  // limits that were discarded or changed, for the event log
};

Result<Document> process_isolated_container(const ContainerSpec& spec, const EffectiveContainerConfig& config,
                                            const ContainerInputs& inputs);

// A normal or (config.hostprocess) HostProcess container inside the utility VM `uvm_id`.
Result<Document> container_in_vm(const ContainerSpec& spec, const EffectiveContainerConfig& config,
                                 const ContainerInputs& inputs, const std::string& uvm_id);

// The guest path of a VSMB share, as the guest sees it (hcsshim internal/uvm/vsmb.go).
std::string vsmb_guest_path(std::string_view share_name);

// The document text HCS gets and the golden files hold: two-space indent and a final newline.
std::string to_text(const nlohmann::ordered_json& document);

}  // namespace silo::hcs
