// POST /v1/containers/{id}/exec (create), POST /v1/exec/{id}/start, GET /v1/exec/{id}.
#include "api/http/error_response.h"
#include "api/json/body.h"
#include "api/json/container_json.h"
#include "api/routes/containers/containers_context.h"

namespace silo::api {
namespace {

Response exec_answer(http::status status, const Result<services::ExecRecord>& record) {
  if (!record) return error_response(record.error());
  return json_response(status, exec_to_json(*record));
}

Response create(const ContainersContext& ctx, const Request& request) {
  auto body = parse_json_body(request, ctx.max_json_depth);
  if (auto* refused = std::get_if<Response>(&body)) return std::move(*refused);
  auto spec = exec_spec_from_json(std::get<nlohmann::json>(body));
  if (!spec) return error_response(spec.error());
  return exec_answer(http::status::created, ctx.execs->create(path_id(request), std::move(*spec)));
}

}  // namespace

void add_exec_routes(Router& router, std::shared_ptr<const ContainersContext> context) {
  auto pool = context->pool;
  add_blocking(router, http::verb::post, "/v1/containers/{id}/exec", pool, [context](const Request& r) { return create(*context, r); });
  add_blocking(router, http::verb::post, "/v1/exec/{id}/start", pool, [context](const Request& r) {
    return exec_answer(http::status::ok, context->execs->start(path_id(r)));
  });
  add_blocking(router, http::verb::get, "/v1/exec/{id}", pool, [context](const Request& r) {
    return exec_answer(http::status::ok, context->execs->get(path_id(r)));
  });
}

}  // namespace silo::api
