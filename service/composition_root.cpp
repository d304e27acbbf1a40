#include "service/composition_root.h"

#include "api/routes/audit/audit_routes.h"
#include "api/routes/containers/containers_context.h"
#include "api/routes/events/events_routes.h"
#include "api/routes/layers/layer_routes.h"
#include "api/routes/system/system_routes.h"
#include "core/events/publishing_store.h"
#include "core/logging.h"
#include "core/services/host_paths.h"
#include "service/access_setup.h"
#include "service/daemon_platform.h"
#include "service/host_facts.h"
#include "service/tls_config.h"
#include "storage/sqlite/metadata_store.h"

// SILO_WITH_TLS: this build has OpenSSL, so tcp:// hosts (mutual TLS, or plain on loopback). The
// mingw build has none (no mingw OpenSSL in Debian) and refuses tcp:// hosts at start.
#if SILO_WITH_TLS
#include "api/transport/tcp_listener.h"
#endif
#ifndef _WIN32
#include "service/posix/signals.h"
#endif

#include <boost/asio/post.hpp>

#include <filesystem>
#include <thread>

namespace silo::service {
namespace {

unsigned io_threads() { return std::clamp(std::thread::hardware_concurrency(), 2u, 4u); }

}  // namespace

Result<std::unique_ptr<Daemon>> Daemon::create(const Invocation& invocation) {
  auto daemon = std::unique_ptr<Daemon>(new Daemon(invocation));
  // Roles first: a group that does not exist (or a key this platform does not use) is refused
  // before anything is created.
  auto roles = role_policy_for(invocation.config);
  if (!roles) return roles.error();
  daemon->roles_ = std::move(*roles);
  // Then sockets: a live daemon on the same socket is the most common reason not to start, and
  // finding it must not touch the other daemon's database.
  SILO_TRY(daemon->open_listeners());
  SILO_TRY(daemon->open_store());
  SILO_TRY(daemon->build_services());
  auto router = daemon->build_router();
  daemon->server_ = std::make_shared<api::HttpServer>(daemon->io_.get_executor(), router, invocation.config.limits);
  return daemon;
}

Result<void> Daemon::open_store() {
  const auto& root = invocation_.config.data_root;
  SILO_TRY(prepare_data_root(root));
  auto lock = DataRootLock::acquire(root);
  if (!lock) return lock.error();
  data_root_lock_.emplace(std::move(*lock));
  auto sqlite = open_metadata_store(StoreOptions{std::filesystem::path(root) / "silo.db", clock_});
  if (!sqlite) return sqlite.error();
  std::shared_ptr<SqliteMetadataStore> database(std::move(*sqlite));
  audit_ = database;  // the audit trail lives in the same file; it is no state, so no events
  store_ = std::make_shared<events::PublishingStore>(database, hub_);
  // Layers under DATA_ROOT/layers; what a crash left half-done is removed before serving.
  const auto& config = invocation_.config;
  layers_ = std::make_shared<layers::LayerStore>(root, store_, clock_, config.layer_limits, platform_layer_files(config));
  if (auto recovered = layers_->recover(); !recovered) logging::get("silod")->error("layers: {}", recovered.error().message);
  return {};
}

Result<void> Daemon::build_services() {
  auto clock = std::shared_ptr<const Clock>(std::shared_ptr<void>(), &clock_);  // owned by the Daemon
  register_platform_backends(*engine_, invocation_.config, layers_);
  services::ServiceOptions options;
  options.data_root = invocation_.config.data_root;
  options.platform = kBuildPlatform;  // C:\hpc on Windows, DATA_ROOT/hostprocess on Linux
  auto roots = services::resolve_mount_roots(invocation_.config.operator_mount_roots);
  if (!roots) return roots.error();
  options.host_access.operator_mount_roots = std::move(*roots);
  containers_ = std::make_shared<services::ContainerService>(store_, engine_, clock, options);
  sandboxes_ = std::make_shared<services::SandboxService>(store_, engine_, clock, containers_);
  execs_ = std::make_shared<services::ExecService>(containers_);
  containers_->attach_to_backends();
  // Before anything is served: clients see the state as it is after the restart.
  containers_->adopt_all();
  return {};
}

std::shared_ptr<api::Router> Daemon::build_router() {
  auto system = std::make_shared<api::SystemContext>();
  system->version = read_version_info();
  system->host = read_host_facts();
  system->components = read_component_versions();
  system->data_root = invocation_.config.data_root;
  system->store = store_;
  system->engine = engine_;
  hostname_ = system->host.hostname;

  auto events = std::make_shared<api::EventsContext>();
  events->store = store_;
  events->hub = hub_;
  events->clock = std::shared_ptr<const Clock>(std::shared_ptr<void>(), &clock_);  // owned by the Daemon

  auto router = std::make_shared<api::Router>();
  api::add_system_routes(*router, system);
  api::add_event_routes(*router, events);

  auto containers = std::make_shared<api::ContainersContext>();
  containers->containers = containers_;
  containers->sandboxes = sandboxes_;
  containers->execs = execs_;
  containers->pool = pool_;
  containers->max_json_depth = invocation_.config.limits.max_json_depth;
  api::add_container_routes(*router, containers);
  api::add_sandbox_routes(*router, containers);
  api::add_exec_routes(*router, containers);

  auto layers = std::make_shared<api::LayersContext>();
  layers->layers = layers_;
  layers->pool = pool_;
  layers->max_upload_bytes = invocation_.config.layer_limits.max_stream_bytes;
  api::add_layer_routes(*router, layers);

  auto audit = std::make_shared<api::AuditContext>();
  audit->audit = audit_;
  audit->pool = pool_;
  api::add_audit_routes(*router, audit);
  // Every request passes here after routing and before its handler: roles, then the audit trail.
  access_ = make_access_control(roles_, audit_, pool_, containers_, execs_);
  router->set_access_control(access_);
  return router;
}

Result<void> Daemon::open_listeners() {
  for (const auto& host : invocation_.config.hosts) {
    if (host.starts_with("tcp://")) {
      SILO_TRY(open_tcp_listener(host));
      continue;
    }
    auto listener = open_local_listener(io_.get_executor(), host, invocation_.config);
    if (!listener) return listener.error();
    listeners_.push_back(*listener);
  }
  return {};
}

Result<void> Daemon::open_tcp_listener(const std::string& host) {
#if !SILO_WITH_TLS
  return make_error(Errc::invalid_argument, "host \"" + host + "\": tcp:// hosts need TLS, which this build of silod does not "
                                            "have (it was built without OpenSSL); serve the local named pipe or socket instead");
#else
  const auto& tls = invocation_.config.tls;
  auto endpoint = api::tcp_endpoint(host);  // the config already refused non-loopback without TLS
  if (!endpoint) return endpoint.error();
  if (tls.verify && !tls_) {
    auto reloader = api::TlsReloader::create({tls.ca_file, tls.cert_file, tls.key_file, tls.crl_file});
    if (!reloader) return reloader.error();
    tls_ = *reloader;
    tls_->watch(io_.get_executor(), kTlsPollInterval);
  }
  if (!tls.verify) {
    logging::get("silod")->warn("serving {} as plain HTTP without authentication: every local user can control silod "
                                "through it; use --tlsverify for anything but tests and tunnels", host);
  }
  auto listener = api::TcpListener::open(io_.get_executor(), *endpoint, tls.verify ? tls_ : nullptr);
  if (!listener) return listener.error();
  listeners_.push_back(*listener);
  return {};
#endif
}

int Daemon::run(bool handle_signals, const std::function<void()>& on_serving) {
  auto log = logging::get("silod");
#ifndef _WIN32
  std::unique_ptr<SignalHandler> signals;
  if (handle_signals) {
    signals = std::make_unique<SignalHandler>(io_, SignalActions{
        [this, log](int signal) {
          log->info("received signal {}; stopping gracefully", signal);
          stop();
        },
        [this, log] {
          log->warn("second stop signal; stopping now");
          io_.stop();
        },
        [this] { reload(); }});
  }
#else
  (void)handle_signals;  // the service host or the console control handler calls stop()
#endif
  for (auto& listener : listeners_) {
    server_->add_listener(listener);
    listener->start(server_);
  }
  if (on_serving) on_serving();
  log->info("silod {} serving API v1 (data root {})", read_version_info().version, invocation_.config.data_root);
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < io_threads(); ++i) threads.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& thread : threads) thread.join();
  pool_->stop();  // calls not yet started are dropped; running ones finish
  pool_->join();
  log->info("silod stopped");
  return 0;
}

void Daemon::stop() {
  boost::asio::post(io_, [this] {
    hub_->close();  // followers end their streams now instead of waiting out the grace period
    server_->shutdown([this] {
      io_.stop();
    });
  });
}

void Daemon::reload() {
  auto log = logging::get("silod");
#if SILO_WITH_TLS
  if (tls_) tls_->reload("SIGHUP");
#endif
  if (!invocation_.config.config_file) {
    log->info("SIGHUP: no --config file to re-read");
    return;
  }
  DaemonConfig fresh;
  auto applied = apply_config_file(*invocation_.config.config_file, fresh);
  if (!applied) {
    log->error("SIGHUP: keeping the current settings: {}", applied.error().message);
    return;
  }
  reload_roles(fresh);
  std::string level = invocation_.log_level_from_flag ? invocation_.config.log_level : fresh.log_level;
  auto parsed = logging::parse_level(level);
  if (!parsed) {
    log->error("SIGHUP: keeping the current log level: {}", parsed.error().message);
    return;
  }
  logging::set_level(*parsed);
  log->info("SIGHUP: log level is {}{}", level, invocation_.log_level_from_flag ? " (set by --log-level)" : "");
  auto written = store_->write([&](WriteTxn& txn) -> Result<void> {
    auto event = txn.append_event({"daemon", "reload", hostname_, {{"name", hostname_}, {"logLevel", level}}});
    if (!event) return event.error();
    return {};
  });
  if (!written) log->warn("SIGHUP: could not record the reload event: {}", written.error().message);
}

// admin-group, operator-group and tls-roles from the re-read file, unless a flag set them; the
// socket's group stays (the socket was created with it). A group that no longer exists keeps the
// current mapping rather than leaving anyone with a role nobody intended.
void Daemon::reload_roles(const DaemonConfig& fresh) {
  auto log = logging::get("silod");
  DaemonConfig merged = invocation_.config;
  const auto& flags = invocation_.keys_from_flags;
  if (!flags.contains("admin-group")) merged.admin_group = fresh.admin_group;
  if (!flags.contains("operator-group")) merged.operator_group = fresh.operator_group;
  if (!flags.contains("tls-roles")) merged.tls_roles = fresh.tls_roles;
  auto policy = role_policy_for(merged);
  if (!policy) {
    log->error("SIGHUP: keeping the current roles: {}", policy.error().message);
    return;
  }
  invocation_.config.admin_group = merged.admin_group;
  invocation_.config.operator_group = merged.operator_group;
  invocation_.config.tls_roles = merged.tls_roles;
  roles_ = *policy;
  if (access_) access_->set_policy(std::move(*policy));
  log->info("SIGHUP: roles re-read (admin-group \"{}\", operator-group \"{}\", {} tls-roles entries)",
            merged.admin_group, merged.operator_group, merged.tls_roles.size());
}

Daemon::~Daemon() {
  for (auto& listener : listeners_) listener->close();
#if SILO_WITH_TLS
  if (tls_) tls_->stop();
#endif
  io_.restart();
  io_.poll();  // let the listeners remove their socket files
}

}  // namespace silo::service
