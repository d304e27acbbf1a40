// The Linux side of silod (service/daemon_platform.h).
#include "service/daemon_platform.h"

#include "api/routes/local_groups.h"
#include "api/transport/unix_listener.h"
#include "core/engine/hostprocess/hostprocess_backend.h"
#include "core/engine/runc/runc_backend.h"
#include "storage/layers/extracted_layer_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace silo::service {
namespace {

// Process isolation through runc over the layer chains of the store /v1/layers serves.
void register_runc_backend(engine::Engine& engine, const DaemonConfig& config, std::shared_ptr<layers::LayerStore> layer_store,
                           const std::filesystem::path& monitor_path) {
  engine::runc::RuncOptions runc;
  runc.runc_path = config.runc_path;
  runc.monitor_path = monitor_path;
  runc.holder_path = engine::runc::default_holder_path();
  runc.data_root = config.data_root;
  runc.layers = [layer_store](const std::string& id) { return layer_store->chain_folders(id); };
  engine.register_backend(std::make_shared<engine::runc::RuncBackend>(std::move(runc)));
}

}  // namespace

Result<DaemonConfig> default_daemon_config() { return DaemonConfig{}; }

Result<void> prepare_data_root(const std::string& dir) {
  std::error_code ec;
  bool created = std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(Errc::failed_precondition, "cannot create data root " + dir + ": " + ec.message());
  // Like dockerd's: others may traverse to what is shared explicitly, but not list it.
  if (created && ::chmod(dir.c_str(), 0711) != 0) return errno_error(Errc::failed_precondition, "cannot set mode of " + dir, errno);
  return {};
}

std::shared_ptr<layers::LayerFiles> platform_layer_files(const DaemonConfig& config) {
  return std::make_shared<layers::ExtractedLayerFiles>(config.layer_limits);
}

void register_platform_backends(engine::Engine& engine, const DaemonConfig& config, std::shared_ptr<layers::LayerStore> layers) {
  engine::hostprocess::HostProcessOptions hostprocess;
  hostprocess.monitor_path = engine::hostprocess::default_monitor_path();
  engine.register_backend(std::make_shared<engine::hostprocess::HostProcessBackend>(hostprocess));
  register_runc_backend(engine, config, std::move(layers), hostprocess.monitor_path);
}

Result<std::shared_ptr<api::Listener>> open_local_listener(boost::asio::any_io_executor executor, const std::string& host,
                                                           const DaemonConfig& config) {
  auto path = api::unix_socket_path(host);
  if (!path) return path.error();
  auto listener = api::UnixListener::open(executor, {*path, config.group, 0660});
  if (!listener) return listener.error();
  return std::shared_ptr<api::Listener>(*listener);
}

Result<void> add_local_roles(const DaemonConfig& config, api::RolePolicy& policy) {
  if (!config.pipe_groups.empty()) {
    return make_error(Errc::invalid_argument, "pipe-groups is for the Windows named pipe; on Linux the socket's group "
                                              "(`group`) and operator-group decide who reaches silod");
  }
  if (!config.admin_group.empty()) {
    auto group = api::local_group(config.admin_group, "admin-group");
    if (!group) return group.error();
    policy.admin_group = std::move(*group);
  }
  if (!config.operator_group.empty()) {
    auto group = api::local_group(config.operator_group, "operator-group");
    if (!group) return group.error();
    policy.operator_group = std::move(*group);
  }
  if (!config.group.empty()) {
    auto group = api::local_group(config.group, "group");
    if (!group) return group.error();
    policy.socket_group = std::move(*group);
  } else {
    // The socket keeps silod's own group (unix_listener.h), so that group's members reach it.
    policy.socket_group = api::LocalGroup{static_cast<std::uint32_t>(::getegid()), "silod's own group"};
  }
  return {};
}

api::GroupsOf local_groups_of() { return api::account_groups; }

}  // namespace silo::service
