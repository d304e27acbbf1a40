#include "core/engine/hcs/documents/utility_vm_document.h"

#include "core/engine/hcs/documents/document_parts.h"
#include "core/engine/hcs/documents/resource_mapping.h"

namespace silo::hcs {
namespace {

using nlohmann::ordered_json;

constexpr std::uint64_t kDefaultMemoryMb = 1024;
constexpr std::string_view kAdminsAndSystem = "D:P(A;;FA;;;SY)(A;;FA;;;BA)";

Result<ordered_json> processor(const UtilityVmInputs& inputs, std::vector<std::string>& warnings) {
  if (inputs.host_cpus == 0) return make_error(Errc::internal, "utility_vm: the number of host CPUs is unknown");
  ordered_json out;
  if (inputs.nano_cpus) {
    auto mapped = map_vm_processor_for_cpus(*inputs.nano_cpus, inputs.host_cpus, warnings);
    if (!mapped) return mapped.error();
    out["Count"] = mapped->count;
    if (mapped->limit) out["Limit"] = *mapped->limit;
    return parts::ok(std::move(out));
  }
  std::uint32_t count = inputs.cpu_count.value_or(inputs.host_cpus == 1 ? 1 : 2);
  if (count == 0) return make_error(Errc::invalid_argument, "a utility VM needs at least one CPU");
  if (count > inputs.host_cpus) {
    warnings.push_back("CPU count " + std::to_string(count) + " lowered to the " + std::to_string(inputs.host_cpus) +
                       " processors of the host");
    count = inputs.host_cpus;
  }
  out["Count"] = count;
  return parts::ok(std::move(out));
}

ordered_json memory(const UtilityVmInputs& inputs, std::vector<std::string>& warnings) {
  ordered_json out;
  out["SizeInMB"] = align_vm_memory_mb(inputs.memory_mb.value_or(kDefaultMemoryMb), warnings);
  if (inputs.allow_overcommit) {
    out["AllowOvercommit"] = true;
    out["EnableHotHint"] = true;
  }
  return out;
}

ordered_json devices(const UtilityVmInputs& inputs) {
  ordered_json attachment;
  attachment["Type"] = "VirtualDisk";
  attachment["Path"] = inputs.scratch_vhdx_path;
  ordered_json scsi;
  scsi[std::string(kScsiController0)]["Attachments"]["0"] = std::move(attachment);

  // The boot share: read-only, cached, with backup privilege so the VM can read every OS file.
  ordered_json options;
  options["ReadOnly"] = true;
  options["ShareRead"] = true;
  options["CacheIo"] = true;
  options["TakeBackupPrivilege"] = true;
  options["PseudoOplocks"] = true;
  ordered_json share;
  share["Name"] = "os";
  share["Path"] = utility_vm_files_path(inputs.base_layer_path);
  share["Options"] = std::move(options);

  ordered_json out;
  out["Scsi"] = std::move(scsi);
  out["HvSocket"]["HvSocketConfig"]["DefaultBindSecurityDescriptor"] = kAdminsAndSystem;
  out["VirtualSmb"]["Shares"] = ordered_json::array({std::move(share)});
  out["VirtualSmb"]["DirectFileMappingInMB"] = 1024;
  return out;
}

// hcsshim sets this GNS switch in every WCOW VM so SMB shares work inside the VM's compartments.
ordered_json registry_changes() {
  ordered_json value;
  value["Key"] = ordered_json{{"Hive", "System"}, {"Name", "CurrentControlSet\\Services\\gns"}};
  value["Name"] = "EnableCompartmentNamespace";
  value["Type"] = "DWord";
  value["DWordValue"] = 1;
  return ordered_json{{"AddValues", ordered_json::array({std::move(value)})}};
}

Result<void> check_inputs(const UtilityVmInputs& inputs) {
  SILO_TRY(check_schema_v2_supported(inputs.target));
  if (inputs.base_layer_path.empty()) return make_error(Errc::internal, "utility_vm: no base layer folder");
  if (inputs.scratch_vhdx_path.empty()) return make_error(Errc::internal, "utility_vm: no scratch VHDX");
  return {};
}

}  // namespace

Result<Document> utility_vm(const UtilityVmInputs& inputs) {
  SILO_TRY(check_inputs(inputs));
  Document out;
  auto cpus = processor(inputs, out.warnings);
  if (!cpus) return cpus.error();

  ordered_json boot;
  boot["DeviceType"] = "VmbFs";
  boot["DevicePath"] = "\\EFI\\Microsoft\\Boot\\bootmgfw.efi";
  ordered_json vm;
  vm["StopOnReset"] = true;
  vm["Chipset"]["Uefi"]["BootThis"] = std::move(boot);
  vm["ComputeTopology"]["Memory"] = memory(inputs, out.warnings);
  vm["ComputeTopology"]["Processor"] = std::move(*cpus);
  vm["Devices"] = devices(inputs);
  vm["RegistryChanges"] = registry_changes();
  vm["GuestConnection"] = ordered_json::object();

  out.json["Owner"] = inputs.owner;
  out.json["SchemaVersion"] = parts::schema_version();
  out.json["VirtualMachine"] = std::move(vm);
  out.json["ShouldTerminateOnLastHandleClosed"] = true;
  return out;
}

std::string utility_vm_files_path(std::string_view base_layer_path) {
  std::string path(base_layer_path);
  if (!path.empty() && path.back() != '\\') path.push_back('\\');
  return path + "UtilityVM\\Files";
}

}  // namespace silo::hcs
