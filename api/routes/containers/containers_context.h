// What the container, sandbox and exec routes need: the services and the worker pool their blocking
// calls run on. Who the caller is comes with the request (Request::identity, set by the router's
// access control before any handler runs).
#pragma once

#include "api/routes/blocking.h"
#include "core/services/container_service.h"
#include "core/services/exec_service.h"
#include "core/services/sandbox_service.h"

#include <memory>

namespace silo::api {

struct ContainersContext {
  std::shared_ptr<services::ContainerService> containers;
  std::shared_ptr<services::SandboxService> sandboxes;
  std::shared_ptr<services::ExecService> execs;
  std::shared_ptr<BlockingPool> pool;
  std::size_t max_json_depth = 64;
  std::chrono::milliseconds stats_interval{1000};  // stream=true: one sample per interval
  std::chrono::milliseconds logs_poll{200};        // follow=true: how often new output is looked for
};

void add_container_routes(Router& router, std::shared_ptr<const ContainersContext> context);
void add_container_wait_route(Router& router, std::shared_ptr<const ContainersContext> context);
void add_container_stats_route(Router& router, std::shared_ptr<const ContainersContext> context);
void add_container_logs_route(Router& router, std::shared_ptr<const ContainersContext> context);
void add_sandbox_routes(Router& router, std::shared_ptr<const ContainersContext> context);
void add_exec_routes(Router& router, std::shared_ptr<const ContainersContext> context);

// Query helpers shared by these routes: the value of `name` read as the type, or the error.
Result<std::optional<bool>> query_bool(const Request& request, std::string_view name);
Result<std::optional<std::int64_t>> query_int(const Request& request, std::string_view name, std::int64_t min,
                                              std::int64_t max);
// The id/name captured as {id}.
std::string path_id(const Request& request);

}  // namespace silo::api
