// POST /v1/containers/{id}/wait?condition=not-running|next-exit|removed. The headers go out at
// once (a client knows its wait is registered), then the handler sleeps on its writer until the
// container's record changes; no thread is held while it waits. The body is one JSON object:
// {"exitCode": N}.
#include "api/http/error_response.h"
#include "api/routes/containers/containers_context.h"

namespace silo::api {
namespace {

using services::WaitCondition;

Result<std::optional<ContainerRecord>> read(services::ContainerService& containers, const std::string& id) {
  auto record = containers.get(id);
  if (record) return std::optional<ContainerRecord>(std::move(*record));
  if (record.error().code == Errc::not_found) return std::optional<ContainerRecord>();
  return record.error();
}

// Built outside the coroutine: GCC 12 miscompiles array temporaries (string literals) in coroutines.
std::string outcome_line(int exit_code) { return nlohmann::json{{"exitCode", exit_code}}.dump() + "\n"; }
std::string error_line(const Error& error) {
  return nlohmann::json{{"exitCode", nullptr}, {"error", {{"message", error.message}}}}.dump() + "\n";
}
std::string json_type() { return "application/json"; }
std::string condition_param(const Request& request) { return request.query.get("condition").value_or(""); }

asio::awaitable<void> wait_route(const ContainersContext& ctx, const Request& request, ResponseWriter& writer) {
  auto condition = services::parse_wait_condition(condition_param(request));
  if (!condition) {
    co_await writer.send(error_response(condition.error()));
    co_return;
  }
  auto first = ctx.containers->get(path_id(request));
  if (!first) {
    co_await writer.send(error_response(first.error()));
    co_return;
  }
  const std::string id = first->id;
  // Watch before re-reading, so a change between the read and the wait still wakes us.
  auto watch = ctx.containers->notifier()->watch(id, writer.waker());
  const auto start = services::wait_start(*first);
  std::optional<int> last_code = first->exit_code;
  if (!co_await writer.begin_stream(http::status::ok, json_type())) co_return;
  for (;;) {
    auto current = read(*ctx.containers, id);
    if (!current) {
      co_await writer.write_chunk(error_line(current.error()));
      co_return;
    }
    if (*current && (*current)->exit_code) last_code = (*current)->exit_code;
    if (auto outcome = services::wait_satisfied(*condition, start, *current, last_code)) {
      co_await writer.write_chunk(outcome_line(outcome->exit_code));
      co_return;
    }
    if (co_await writer.wait(std::nullopt) == WakeReason::closing) co_return;
  }
}

}  // namespace

void add_container_wait_route(Router& router, std::shared_ptr<const ContainersContext> context) {
  router.add(http::verb::post, "/v1/containers/{id}/wait",
             [context](const Request& request, ResponseWriter& writer) -> asio::awaitable<void> {
               co_await wait_route(*context, request, writer);
             });
}

}  // namespace silo::api
