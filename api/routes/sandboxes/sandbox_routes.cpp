// POST/GET /v1/sandboxes, GET/DELETE /v1/sandboxes/{id}.
#include "api/http/error_response.h"
#include "api/json/body.h"
#include "api/json/container_json.h"
#include "api/routes/containers/containers_context.h"
#include "core/model/spec_json.h"

namespace silo::api {
namespace {

Response sandbox_answer(http::status status, const Result<SandboxRecord>& record) {
  if (!record) return error_response(record.error());
  return json_response(status, sandbox_to_json(*record));
}

Response create(const ContainersContext& ctx, const Request& request) {
  auto body = parse_json_body(request, ctx.max_json_depth);
  if (auto* refused = std::get_if<Response>(&body)) return std::move(*refused);
  auto spec = sandbox_spec_from_json(std::get<nlohmann::json>(body));
  if (!spec) return error_response(spec.error());
  return sandbox_answer(http::status::created, ctx.sandboxes->create(std::move(*spec)));
}

Response list(const ContainersContext& ctx, const Request& request) {
  SandboxFilter filter;
  for (const auto& [key, value] : request.query.items()) {
    if (key == "label") {
      auto eq = value.find('=');
      if (value.empty() || eq == 0) return error_response(make_error(Errc::invalid_argument, "label \"" + value + "\" must be key or key=value"));
      if (eq == std::string::npos) filter.labels.push_back({value, std::nullopt});
      else filter.labels.push_back({value.substr(0, eq), value.substr(eq + 1)});
    } else if (key == "isolation") {
      auto isolation = parse_isolation(value);
      if (!isolation) return error_response(isolation.error());
      filter.isolation = *isolation;
    } else if (key == "name") {
      filter.name = value;
    } else {
      return error_response(make_error(Errc::invalid_argument, "unknown query parameter \"" + key +
                                                                   "\"; filters are label, isolation, name"));
    }
  }
  auto records = ctx.sandboxes->list(filter);
  if (!records) return error_response(records.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& record : *records) items.push_back(sandbox_to_json(record));
  return json_response(http::status::ok, items);
}

Response remove(const ContainersContext& ctx, const Request& request) {
  auto force = query_bool(request, "force");
  if (!force) return error_response(force.error());
  auto removed = ctx.sandboxes->remove(path_id(request), force->value_or(false));
  if (!removed) return error_response(removed.error());
  Response response;
  response.status = http::status::no_content;
  return response;
}

}  // namespace

void add_sandbox_routes(Router& router, std::shared_ptr<const ContainersContext> context) {
  auto pool = context->pool;
  add_blocking(router, http::verb::post, "/v1/sandboxes", pool, [context](const Request& r) { return create(*context, r); });
  add_blocking(router, http::verb::get, "/v1/sandboxes", pool, [context](const Request& r) { return list(*context, r); });
  add_blocking(router, http::verb::get, "/v1/sandboxes/{id}", pool, [context](const Request& r) {
    return sandbox_answer(http::status::ok, context->sandboxes->get(path_id(r)));
  });
  add_blocking(router, http::verb::delete_, "/v1/sandboxes/{id}", pool, [context](const Request& r) { return remove(*context, r); });
}

}  // namespace silo::api
