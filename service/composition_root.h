// The composition root: builds every object silod runs with, explicitly, from its configuration,
// and wires them together. Nothing registers itself; nothing is global.
//
//   SqliteMetadataStore (DATA_ROOT/silo.db) -> PublishingStore -> EventHub -> /v1/events
//   Engine (the platform's backends)         -> /v1/info isolation, the services
//   ContainerService / SandboxService / ExecService (store + engine), re-adopting at start
//   RouteAccessControl (roles from the config, the audit table of silo.db) on the Router
//   Router (system, events, containers, sandboxes, exec routes) -> HttpServer -> UnixListener or
//   NamedPipeListener, and TcpListener (mutual TLS, or plain on loopback) per --host
// What differs between Linux and Windows is behind service/daemon_platform.h.
#pragma once

#include "api/http/server.h"
#include "api/routes/authorization.h"
#include "api/routes/blocking.h"
#include "api/routes/route_access.h"
#include "core/clock.h"
#include "core/engine/engine.h"
#include "core/events/event_hub.h"
#include "core/services/container_service.h"
#include "core/services/exec_service.h"
#include "core/services/sandbox_service.h"
#include "core/store/audit_store.h"
#include "core/store/metadata_store.h"
#include "service/config.h"
#include "service/data_root_lock.h"
#include "storage/layers/layer_store.h"

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace silo::api {
class TlsReloader;
}

namespace silo::service {

class Daemon {
 public:
  // Opens the store and every listener; any failure is returned before anything is served.
  static Result<std::unique_ptr<Daemon>> create(const Invocation& invocation);

  // Serves until stop() (or SIGTERM/SIGINT when handle_signals, on Linux; on Windows the service
  // host or the console handler calls stop()); calls on_serving once the listeners accept. Returns
  // the process exit code.
  int run(bool handle_signals, const std::function<void()>& on_serving = {});

  // Graceful stop; thread-safe, idempotent.
  void stop();
  // Re-reads the log level from the config file and records a daemon "reload" event.
  void reload();

  std::shared_ptr<MetadataStore> store() const { return store_; }

  ~Daemon();

 private:
  explicit Daemon(Invocation invocation) : invocation_(std::move(invocation)) {}
  Result<void> open_store();
  Result<void> build_services();
  std::shared_ptr<api::Router> build_router();
  Result<void> open_listeners();
  Result<void> open_tcp_listener(const std::string& host);
  void reload_roles(const DaemonConfig& fresh);

  Invocation invocation_;
  std::optional<DataRootLock> data_root_lock_;
  boost::asio::io_context io_;
  SystemClock clock_;
  std::shared_ptr<events::EventHub> hub_ = events::EventHub::create();
  std::shared_ptr<MetadataStore> store_;
  std::shared_ptr<layers::LayerStore> layers_;
  std::shared_ptr<engine::Engine> engine_ = std::make_shared<engine::Engine>();
  std::shared_ptr<services::ContainerService> containers_;
  std::shared_ptr<services::SandboxService> sandboxes_;
  std::shared_ptr<services::ExecService> execs_;
  std::shared_ptr<AuditStore> audit_;
  api::RolePolicy roles_;
  std::shared_ptr<api::RouteAccessControl> access_;  // its role policy is replaced on SIGHUP
  // Blocking API calls (store writes, backend calls, stop timeouts) run here, never on io threads.
  // Declared after the services so it stops before they go.
  std::shared_ptr<api::BlockingPool> pool_ = std::make_shared<api::BlockingPool>(16);
  std::shared_ptr<api::HttpServer> server_;
  // One per --host: unix sockets or named pipes, and tcp:// hosts, which with --tlsverify share one
  // TLS context source, reloaded on SIGHUP and when the files change.
  std::vector<std::shared_ptr<api::Listener>> listeners_;
  std::shared_ptr<api::TlsReloader> tls_;
  std::string hostname_;
};

}  // namespace silo::service
