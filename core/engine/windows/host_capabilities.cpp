#include "core/engine/windows/host_capabilities.h"

#include "core/engine/windows/system_library.h"
#include "core/platform/windows/unique_handle.h"

#include <windows.h>

#include <intrin.h>

#include <map>

namespace silo::engine::windows {

namespace {

const std::map<std::string, std::vector<std::string>>& export_table() {
  static const std::map<std::string, std::vector<std::string>> table = {
      {"computecore.dll",
       {"HcsCreateOperation", "HcsCloseOperation", "HcsWaitForOperationResult", "HcsWaitForOperationResultAndProcessInfo",
        "HcsEnumerateComputeSystems", "HcsCreateComputeSystem", "HcsOpenComputeSystem", "HcsCloseComputeSystem",
        "HcsStartComputeSystem", "HcsShutDownComputeSystem", "HcsTerminateComputeSystem",
        "HcsGetComputeSystemProperties", "HcsModifyComputeSystem", "HcsSetComputeSystemCallback", "HcsCreateProcess",
        "HcsOpenProcess", "HcsCloseProcess", "HcsGetProcessInfo", "HcsSignalProcess", "HcsTerminateProcess",
        "HcsSetProcessCallback", "HcsGetServiceProperties"}},
      {"computestorage.dll",
       {"HcsImportLayer", "HcsExportLayer", "HcsDestroyLayer", "HcsSetupBaseOSLayer", "HcsInitializeWritableLayer",
        "HcsAttachLayerStorageFilter", "HcsDetachLayerStorageFilter", "HcsFormatWritableLayerVhd",
        "HcsGetLayerVhdMountPath"}},
      {"computenetwork.dll",
       {"HcnCreateNamespace", "HcnOpenNamespace", "HcnModifyNamespace", "HcnQueryNamespaceProperties",
        "HcnDeleteNamespace", "HcnCloseNamespace", "HcnOpenNetwork", "HcnCloseNetwork", "HcnCreateEndpoint",
        "HcnCloseEndpoint", "HcnDeleteEndpoint"}},
      // The layer ids (NameToGuid) and the legacy layer API hcsshim mounts a container's scratch with.
      {"vmcompute.dll",
       {"NameToGuid", "CreateSandboxLayer", "ActivateLayer", "PrepareLayer", "GetLayerMountPath", "UnprepareLayer",
        "DeactivateLayer", "DestroyLayer", "ProcessBaseImage", "ProcessUtilityImage", "GrantVmAccess"}},
      {"bindfltapi.dll", {"BfSetupFilter", "BfRemoveMapping"}},
  };
  return table;
}

// What to do when a DLL is missing, per DLL.
std::string remedy_for(const std::string& dll_name) {
  if (dll_name == "bindfltapi.dll") return "Windows Server 2019 and older have no bind filter";
  return "enable the Containers feature (Install-WindowsFeature Containers, then reboot)";
}

LibraryProbe probe_library(const std::string& dll_name) {
  LibraryProbe probe{dll_name, false, {}};
  auto library = SystemLibrary::load(dll_name);
  if (!library) {
    probe.reason = dll_name + " not found: " + remedy_for(dll_name) + " (" + library.error().message + ")";
    return probe;
  }
  for (const auto& name : required_exports(dll_name)) {
    if (auto found = library->symbol(name); !found) {
      probe.reason = found.error().message;
      return probe;
    }
  }
  probe.loaded = true;
  return probe;
}

// The service exists (installed), whatever its state: HCS and vmms start on demand.
bool service_installed(const wchar_t* name) {
  SC_HANDLE manager = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
  if (manager == nullptr) return false;
  SC_HANDLE service = OpenServiceW(manager, name, SERVICE_QUERY_STATUS);
  const bool found = service != nullptr;
  if (service != nullptr) CloseServiceHandle(service);
  CloseServiceHandle(manager);
  return found;
}

// CPUID leaf 1, ECX bit 31: a hypervisor is running (on a Hyper-V host the root partition sees it).
bool hypervisor_present() {
  int regs[4] = {0, 0, 0, 0};
  __cpuid(regs, 1);
  return (static_cast<unsigned>(regs[2]) >> 31) != 0;
}

const LibraryProbe* find(const std::vector<LibraryProbe>& probes, const std::string& name) {
  for (const auto& probe : probes) {
    if (probe.name == name) return &probe;
  }
  return nullptr;
}

Availability process_isolation(const std::vector<LibraryProbe>& probes) {
  for (const char* dll : {"computecore.dll", "computestorage.dll", "computenetwork.dll", "vmcompute.dll"}) {
    const LibraryProbe* probe = find(probes, dll);
    if (probe == nullptr || !probe->loaded) return {false, probe == nullptr ? std::string(dll) + " was not probed" : probe->reason};
  }
  if (!service_installed(L"vmcompute")) {
    return {false, "the Host Compute Service (vmcompute) is not installed: enable the Containers feature "
                   "(Install-WindowsFeature Containers, then reboot)"};
  }
  return {true, ""};
}

Availability hyperv_isolation(const Availability& process) {
  if (!process.available) return process;
  if (!service_installed(L"vmms")) {
    return {false, "the Hyper-V Virtual Machine Management service (vmms) is not installed: enable Hyper-V "
                   "(Install-WindowsFeature Hyper-V, then reboot)"};
  }
  if (!hypervisor_present()) {
    return {false, "no hypervisor is running: enable virtualization in the firmware and Hyper-V in Windows "
                   "(on a VM, nested virtualization must be on)"};
  }
  return {true, ""};
}

}  // namespace

const std::vector<std::string>& required_exports(const std::string& dll_name) {
  static const std::vector<std::string> none;
  const auto& table = export_table();
  auto found = table.find(dll_name);
  return found == table.end() ? none : found->second;
}

HostCapabilities probe_host_capabilities() {
  HostCapabilities caps;
  for (const auto& [name, exports] : export_table()) caps.libraries.push_back(probe_library(name));
  caps.process = process_isolation(caps.libraries);
  caps.hyperv = hyperv_isolation(caps.process);
  const LibraryProbe* bindflt = find(caps.libraries, "bindfltapi.dll");
  if (bindflt != nullptr && bindflt->loaded) {
    caps.bind_filter = {true, ""};
  } else {
    caps.bind_filter = {false, bindflt == nullptr ? "bindfltapi.dll was not probed" : bindflt->reason};
  }
  return caps;
}

}  // namespace silo::engine::windows
