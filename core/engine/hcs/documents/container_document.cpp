#include "core/engine/hcs/documents/container_document.h"

#include "core/engine/hcs/documents/document_parts.h"
#include "core/engine/hcs/documents/resource_mapping.h"
#include "core/model/hostprocess_annotations.h"

namespace silo::hcs {
namespace {

using nlohmann::ordered_json;

Result<ordered_json> storage(const ContainerInputs& inputs, std::string scratch) {
  if (inputs.layers.empty()) {
    return make_error(Errc::invalid_argument, "a Windows container needs at least its base layer");
  }
  ordered_json layers = ordered_json::array();
  for (const LayerFolder& layer : inputs.layers) {
    SILO_TRY(parts::check_guid("the id of layer " + layer.path, layer.guid));
    layers.push_back(ordered_json{{"Id", layer.guid}, {"Path", layer.path}});
  }
  ordered_json out;
  out["Layers"] = std::move(layers);
  out["Path"] = std::move(scratch);
  return parts::ok(std::move(out));
}

ordered_json mapped_directory(const std::string& host_path, const MountSpec& mount) {
  ordered_json out;
  out["HostPath"] = host_path;
  out["ContainerPath"] = mount.target;
  if (mount.read_only) out["ReadOnly"] = true;
  return out;
}

// Argon: host folders and host pipes mapped as they are.
void add_host_mounts(const ContainerSpec& spec, ordered_json& container) {
  ordered_json directories = ordered_json::array();
  ordered_json pipes = ordered_json::array();
  for (const MountSpec& mount : spec.mounts) {
    if (parts::is_named_pipe(mount.source)) {
      static constexpr std::size_t kPipePrefix = 9;  // \\.\pipe\ as hcsshim strips it from the target
      std::string name = parts::is_named_pipe(mount.target) ? mount.target.substr(kPipePrefix) : mount.target;
      pipes.push_back(ordered_json{{"ContainerPipeName", name}, {"HostPath", mount.source}});
    } else {
      directories.push_back(mapped_directory(mount.source, mount));
    }
  }
  if (!directories.empty()) container["MappedDirectories"] = std::move(directories);
  if (!pipes.empty()) container["MappedPipes"] = std::move(pipes);
}

// In a VM: each mount arrives through a VSMB share the caller hot-added beforehand.
Result<void> add_guest_mounts(const ContainerSpec& spec, const ContainerInputs& inputs, ordered_json& container) {
  if (inputs.mount_guest_paths.size() != spec.mounts.size()) {
    return make_error(Errc::internal, "container_in_vm: " + std::to_string(spec.mounts.size()) + " mounts but " +
                                          std::to_string(inputs.mount_guest_paths.size()) + " guest paths");
  }
  ordered_json directories = ordered_json::array();
  for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
    if (parts::is_named_pipe(spec.mounts[i].source)) {
      return make_error(Errc::failed_precondition, "mount " + spec.mounts[i].source +
                                                       ": named pipe mounts work only with process isolation");
    }
    directories.push_back(mapped_directory(inputs.mount_guest_paths[i], spec.mounts[i]));
  }
  if (!directories.empty()) container["MappedDirectories"] = std::move(directories);
  return {};
}

Result<void> add_limits(const ResourceLimits& limits, const ContainerInputs& inputs, ordered_json& container,
                        std::vector<std::string>& warnings) {
  if (limits.memory_bytes) {
    auto mb = memory_bytes_to_mb(*limits.memory_bytes);
    if (!mb) return mb.error();
    container["Memory"] = ordered_json{{"SizeInMB", *mb}};
  }
  CpuRequest cpu{limits.cpu_count, limits.cpu_percent, limits.cpu_weight, std::nullopt};
  auto processor = map_container_processor(cpu, inputs.available_cpus, warnings);
  if (!processor) return processor.error();
  if (processor->empty()) return {};
  ordered_json out;
  if (processor->count) out["Count"] = *processor->count;
  if (processor->maximum) out["Maximum"] = *processor->maximum;
  if (processor->weight) out["Weight"] = *processor->weight;
  container["Processor"] = std::move(out);
  return {};
}

Result<void> add_network(const ContainerInputs& inputs, ordered_json& container) {
  if (!inputs.network_namespace) return {};
  SILO_TRY(parts::check_guid("the network namespace id", *inputs.network_namespace));
  container["Networking"] = ordered_json{{"Namespace", *inputs.network_namespace}};
  return {};
}

// The fields of PR #2531; Storage.PrivilegedContainerRootPath only when a location was asked for
// (the guest applies C:\hpc itself), as hcsshim does.
Result<void> add_hostprocess(const EffectiveContainerConfig& config, const ContainerInputs& inputs,
                             ordered_json& container) {
  SILO_TRY(check_hostprocess_in_vm_supported(inputs.target));
  if (inputs.network_namespace) {
    return make_error(Errc::invalid_argument, "a HostProcess container inside a utility VM has no network namespace");
  }
  bool asked = config.annotations.count(std::string(hostprocess::kRootfsLocationAnnotation)) != 0;
  if (asked && config.rootfs_location) container["Storage"]["PrivilegedContainerRootPath"] = *config.rootfs_location;
  container["IsolationType"] = "HostProcess";
  return {};
}

ordered_json top_level(const ContainerInputs& inputs) {
  ordered_json doc;
  doc["Owner"] = inputs.owner;
  doc["SchemaVersion"] = parts::schema_version();
  return doc;
}

}  // namespace

Result<Document> process_isolated_container(const ContainerSpec& spec, const EffectiveContainerConfig& config,
                                            const ContainerInputs& inputs) {
  SILO_TRY(check_schema_v2_supported(inputs.target));
  if (config.hostprocess || config.isolation != Isolation::process) {
    return make_error(Errc::internal, "process_isolated_container: the container is not process-isolated");
  }
  auto scratch = parts::volume_path(inputs.scratch_path);
  if (!scratch) return scratch.error();
  Document out;
  ordered_json container;
  auto storage_json = storage(inputs, *scratch);
  if (!storage_json) return storage_json.error();
  container["Storage"] = std::move(*storage_json);
  add_host_mounts(spec, container);
  SILO_TRY(add_limits(spec.resources, inputs, container, out.warnings));
  SILO_TRY(add_network(inputs, container));
  container["RegistryChanges"] = parts::container_registry_changes();
  out.json = top_level(inputs);
  out.json["Container"] = std::move(container);
  out.json["ShouldTerminateOnLastHandleClosed"] = true;
  return out;
}

Result<Document> container_in_vm(const ContainerSpec& spec, const EffectiveContainerConfig& config,
                                 const ContainerInputs& inputs, const std::string& uvm_id) {
  SILO_TRY(check_schema_v2_supported(inputs.target));
  if (config.isolation != Isolation::hyperv) {
    return make_error(Errc::internal, "container_in_vm: the container does not belong in a utility VM");
  }
  if (uvm_id.empty()) return make_error(Errc::internal, "container_in_vm: no utility VM id");
  if (inputs.scratch_path.empty()) return make_error(Errc::internal, "container_in_vm: no guest scratch path");
  Document out;
  ordered_json container;
  auto storage_json = storage(inputs, inputs.scratch_path);
  if (!storage_json) return storage_json.error();
  container["Storage"] = std::move(*storage_json);
  SILO_TRY(add_guest_mounts(spec, inputs, container));
  SILO_TRY(add_limits(spec.resources, inputs, container, out.warnings));
  if (!config.hostprocess) SILO_TRY(add_network(inputs, container));
  container["RegistryChanges"] = parts::container_registry_changes();
  if (config.hostprocess) SILO_TRY(add_hostprocess(config, inputs, container));

  ordered_json hosted;
  hosted["SchemaVersion"] = parts::schema_version();
  hosted["Container"] = std::move(container);
  out.json = top_level(inputs);
  out.json["HostingSystemId"] = uvm_id;
  out.json["HostedSystem"] = std::move(hosted);
  out.json["ShouldTerminateOnLastHandleClosed"] = true;
  return out;
}

std::string vsmb_guest_path(std::string_view share_name) {
  return "\\\\?\\VMSMB\\VSMB-{dcc079ae-60ba-4d07-847c-3493609c0870}\\" + std::string(share_name);
}

std::string to_text(const nlohmann::ordered_json& document) { return document.dump(2) + "\n"; }

}  // namespace silo::hcs
