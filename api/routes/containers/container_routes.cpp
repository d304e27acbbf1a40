// POST/GET /v1/containers, GET/DELETE /v1/containers/{id}, and start, stop, kill, restart.
#include "api/http/error_response.h"
#include "api/json/body.h"
#include "api/json/container_json.h"
#include "api/routes/containers/containers_context.h"
#include "core/model/spec_json.h"
#include "core/model/stop_signal.h"

namespace silo::api {
namespace {

using Ctx = std::shared_ptr<const ContainersContext>;

Response container_answer(http::status status, const Result<ContainerRecord>& record) {
  if (!record) return error_response(record.error());
  return json_response(status, container_to_json(*record));
}

Response create(const ContainersContext& ctx, const Request& request) {
  auto body = parse_json_body(request, ctx.max_json_depth);
  if (auto* refused = std::get_if<Response>(&body)) return std::move(*refused);
  auto spec = container_spec_from_json(std::get<nlohmann::json>(body));
  if (!spec) return error_response(spec.error());
  return container_answer(http::status::created, ctx.containers->create(std::move(*spec), request.identity));
}

Result<ContainerFilter> list_filter(const ContainersContext& ctx, const Request& request, bool& no_match) {
  ContainerFilter filter;
  for (const auto& [key, value] : request.query.items()) {
    if (key == "label") {
      auto eq = value.find('=');
      if (value.empty() || eq == 0) return make_error(Errc::invalid_argument, "label \"" + value + "\" must be key or key=value");
      if (eq == std::string::npos) filter.labels.push_back({value, std::nullopt});
      else filter.labels.push_back({value.substr(0, eq), value.substr(eq + 1)});
    } else if (key == "state") {
      auto state = parse_container_state(value);
      if (!state) return state.error();
      filter.state = *state;
    } else if (key == "isolation") {
      auto isolation = parse_isolation(value);
      if (!isolation) return isolation.error();
      filter.isolation = *isolation;
    } else if (key == "sandbox") {
      auto sandbox = ctx.sandboxes->get(value);
      if (!sandbox && sandbox.error().code != Errc::not_found) return sandbox.error();
      if (!sandbox) no_match = true;
      else filter.sandbox_id = sandbox->id;
    } else if (key == "name") {
      filter.name = value;
    } else {
      return make_error(Errc::invalid_argument, "unknown query parameter \"" + key +
                                                    "\"; filters are label, state, isolation, sandbox, name");
    }
  }
  return filter;
}

Response list(const ContainersContext& ctx, const Request& request) {
  bool no_match = false;
  auto filter = list_filter(ctx, request, no_match);
  if (!filter) return error_response(filter.error());
  nlohmann::json items = nlohmann::json::array();
  if (!no_match) {
    auto records = ctx.containers->list(*filter);
    if (!records) return error_response(records.error());
    for (const auto& record : *records) items.push_back(container_to_json(record));
  }
  return json_response(http::status::ok, items);
}

Response stop(const ContainersContext& ctx, const Request& request, bool restart) {
  auto timeout = query_int(request, "timeout", 0, 3600);
  if (!timeout) return error_response(timeout.error());
  auto id = path_id(request);
  return container_answer(http::status::ok, restart ? ctx.containers->restart(id, *timeout, request.identity)
                                                    : ctx.containers->stop(id, *timeout));
}

Response kill(const ContainersContext& ctx, const Request& request) {
  auto raw = request.query.get("signal");
  auto signal = parse_signal("signal", raw.value_or("SIGKILL"));
  if (!signal) return error_response(signal.error());
  return container_answer(http::status::ok, ctx.containers->kill(path_id(request), *signal));
}

Response remove(const ContainersContext& ctx, const Request& request) {
  auto force = query_bool(request, "force");
  if (!force) return error_response(force.error());
  auto removed = ctx.containers->remove(path_id(request), force->value_or(false));
  if (!removed) return error_response(removed.error());
  Response response;
  response.status = http::status::no_content;
  return response;
}

}  // namespace

void add_container_routes(Router& router, Ctx context) {
  auto pool = context->pool;
  add_blocking(router, http::verb::post, "/v1/containers", pool, [context](const Request& r) { return create(*context, r); });
  add_blocking(router, http::verb::get, "/v1/containers", pool, [context](const Request& r) { return list(*context, r); });
  add_blocking(router, http::verb::get, "/v1/containers/{id}", pool, [context](const Request& r) {
    return container_answer(http::status::ok, context->containers->get(path_id(r)));
  });
  add_blocking(router, http::verb::delete_, "/v1/containers/{id}", pool, [context](const Request& r) { return remove(*context, r); });
  add_blocking(router, http::verb::post, "/v1/containers/{id}/start", pool, [context](const Request& r) {
    return container_answer(http::status::ok, context->containers->start(path_id(r), r.identity));
  });
  add_blocking(router, http::verb::post, "/v1/containers/{id}/stop", pool, [context](const Request& r) { return stop(*context, r, false); });
  add_blocking(router, http::verb::post, "/v1/containers/{id}/restart", pool, [context](const Request& r) { return stop(*context, r, true); });
  add_blocking(router, http::verb::post, "/v1/containers/{id}/kill", pool, [context](const Request& r) { return kill(*context, r); });
  add_container_wait_route(router, context);
  add_container_stats_route(router, context);
  add_container_logs_route(router, context);

}

}  // namespace silo::api
