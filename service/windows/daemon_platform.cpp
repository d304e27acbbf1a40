// The Windows side of silod (service/daemon_platform.h).
#include "service/daemon_platform.h"

#include "api/transport/windows/named_pipe_listener.h"
#include "core/engine/hcs/backend/hcs_backend.h"
#include "core/engine/hcs/placement/hyperv_placement.h"
#include "core/engine/hcs/placement/process_placement.h"
#include "core/engine/jobobject/jobobject_backend.h"
#include "core/platform/windows/win32_error.h"
#include "service/windows/default_paths.h"
#include "service/windows/os_version.h"
#include "storage/windows_layers/hcs_layer_files.h"

#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

#include <filesystem>

namespace silo::service {
namespace {

// The data root holds the database, container logs and the monitors' files: SYSTEM and
// Administrators only, not inherited from %ProgramData% (whose ACL lets every user read).
constexpr wchar_t kDataRootSddl[] = L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";

Result<void> protect_data_root(const std::filesystem::path& dir) {
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(kDataRootSddl, SDDL_REVISION_1, &descriptor, nullptr)) {
    return platform::windows::last_win32_error("cannot build the data root's security descriptor", Errc::internal);
  }
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL dacl = nullptr;
  GetSecurityDescriptorDacl(descriptor, &present, &dacl, &defaulted);
  std::wstring path = dir.wstring();
  const DWORD status = SetNamedSecurityInfoW(path.data(), SE_FILE_OBJECT,
                                             DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, nullptr,
                                             nullptr, dacl, nullptr);
  LocalFree(descriptor);
  if (status != ERROR_SUCCESS) {
    return platform::windows::win32_error(Errc::failed_precondition, "cannot restrict access to data root " + dir.string(), status);
  }
  return {};
}

Error not_on_windows(std::string_view key, std::string_view instead) {
  return make_error(Errc::invalid_argument, std::string(key) + " is not used on Windows: " + std::string(instead));
}

}  // namespace

Result<DaemonConfig> default_daemon_config() {
  auto defaults = windows::windows_defaults();
  if (!defaults) return defaults.error();
  DaemonConfig config;
  config.hosts = {defaults->host};
  config.data_root = defaults->data_root.string();
  std::error_code ec;
  if (std::filesystem::is_regular_file(defaults->config_file, ec)) config.config_file = defaults->config_file.string();
  return config;
}

Result<void> prepare_data_root(const std::string& dir) {
  std::error_code ec;
  bool created = std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(Errc::failed_precondition, "cannot create data root " + dir + ": " + ec.message());
  if (created) SILO_TRY(protect_data_root(dir));
  return {};
}

// HostProcess containers on job objects; process and hyperv isolation through HCS. Process
// isolation gets its storage and network from ProcessPlacement (the layer chain of the store
// /v1/layers serves, a scratch mounted through vmcompute, the sandbox's HCN namespace); Hyper-V
// isolation from HypervPlacement (the utility VM's scratch from the base layer's image, a scratch
// disk per container, the same sandbox namespace, whose endpoint becomes the VM's adapter).
// A Windows layer tar imported as hcsshim does it: a base layer written in place and processed by
// vmcompute.dll, a layer with parents through computestorage.dll. Both DLLs are loaded at each
// import: a host without them still lists layers, and an import there says what to install.
std::shared_ptr<layers::LayerFiles> platform_layer_files(const DaemonConfig& config) {
  windows_layers::HcsLayerFilesOptions options;
  options.limits = config.layer_limits;
  return std::make_shared<windows_layers::HcsLayerFiles>(std::move(options));
}

void register_platform_backends(engine::Engine& engine, const DaemonConfig& config, std::shared_ptr<layers::LayerStore> layers) {
  engine::jobobject::JobObjectOptions options;
  options.monitor_path = engine::jobobject::default_monitor_path();
  engine.register_backend(std::make_shared<engine::jobobject::JobObjectBackend>(options));
  SYSTEM_INFO system{};
  GetNativeSystemInfo(&system);
  const std::filesystem::path hcs_root = std::filesystem::path(config.data_root) / "hcs";
  auto layer_folders = [layers](const std::string& id) { return layers->chain_folders(id); };
  // One record of the sandboxes' networks for both modes: a sandbox id has one namespace.
  auto networks = std::make_shared<engine::hcs_backend::SandboxMemberships>(hcs_root,
                                                                             engine::hcs_backend::system_networking());
  for (Isolation mode : {Isolation::process, Isolation::hyperv}) {
    engine::hcs_backend::HcsBackendOptions hcs;
    hcs.isolation = mode;
    hcs.target.build = windows::windows_version().build;
    hcs.host_cpus = system.dwNumberOfProcessors;
    if (mode == Isolation::process) {
      engine::hcs_backend::ProcessPlacementOptions placement;
      placement.root = hcs_root;
      placement.layer_folders = layer_folders;
      placement.networks = networks;
      hcs.placement = std::make_shared<engine::hcs_backend::ProcessPlacement>(std::move(placement));
    } else {
      engine::hcs_backend::HypervPlacementOptions placement;
      placement.root = hcs_root;
      placement.layer_folders = layer_folders;
      placement.networks = networks;
      hcs.placement = std::make_shared<engine::hcs_backend::HypervPlacement>(std::move(placement));
    }
    engine.register_backend(std::make_shared<engine::hcs_backend::HcsBackend>(std::move(hcs)));
  }
}

Result<std::shared_ptr<api::Listener>> open_local_listener(boost::asio::any_io_executor executor, const std::string& host,
                                                           const DaemonConfig& config) {
  if (host.starts_with("unix://")) {
    return make_error(Errc::invalid_argument, "host \"" + host + "\": unix:// sockets are not served on Windows; use npipe:////./pipe/NAME");
  }
  auto path = api::windows::named_pipe_path(host);
  if (!path) return path.error();
  api::windows::NamedPipeListenerOptions options;
  options.path = *path;
  options.groups = config.pipe_groups;
  if (!config.group.empty()) options.groups.push_back(config.group);
  auto listener = api::windows::NamedPipeListener::open(executor, options);
  if (!listener) return listener.error();
  return std::shared_ptr<api::Listener>(*listener);
}

// On the pipe, roles come from the client's token (api/routes/authorization.cpp): Administrators
// and SYSTEM are admin, and everyone else the pipe admits (pipe-groups and group) is operator.
Result<void> add_local_roles(const DaemonConfig& config, api::RolePolicy&) {
  if (!config.admin_group.empty()) {
    return not_on_windows("admin-group", "members of Administrators (and SYSTEM) are admin on the named pipe");
  }
  if (!config.operator_group.empty()) {
    return not_on_windows("operator-group", "the accounts of pipe-groups reach the named pipe, and are operator");
  }
  return {};
}

api::GroupsOf local_groups_of() { return {}; }

}  // namespace silo::service
