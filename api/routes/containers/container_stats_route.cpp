// GET /v1/containers/{id}/stats?stream=: one JSON sample, or (stream=true) NDJSON, one sample per
// interval until the container stops running or the client leaves.
#include "api/http/error_response.h"
#include "api/json/container_json.h"
#include "api/routes/containers/containers_context.h"

namespace silo::api {
namespace {

std::string_view stream_param() { return "stream"; }
// Built outside the coroutine: GCC 12 miscompiles array temporaries (string literals) in coroutines.
std::string ndjson_type() { return "application/x-ndjson"; }
std::string stats_line(const engine::ContainerStats& stats) { return stats_to_json(stats).dump() + "\n"; }

asio::awaitable<void> stats_route(const ContainersContext& ctx, const Request& request, ResponseWriter& writer) {
  auto stream = query_bool(request, stream_param());
  if (!stream) {
    co_await writer.send(error_response(stream.error()));
    co_return;
  }
  const std::string ref = path_id(request);
  auto first = ctx.containers->stats(ref);
  if (!first) {
    co_await writer.send(error_response(first.error()));
    co_return;
  }
  if (!stream->value_or(false)) {
    co_await writer.send(json_response(http::status::ok, stats_to_json(*first)));
    co_return;
  }
  if (!co_await writer.begin_stream(http::status::ok, ndjson_type())) co_return;
  auto sample = std::move(first);
  // Bounded by the container's life and the client's: each round either writes or ends.
  for (;;) {
    if (!co_await writer.write_chunk(stats_line(*sample))) co_return;
    if (co_await writer.wait(ctx.stats_interval) == WakeReason::closing) co_return;
    sample = ctx.containers->stats(ref);
    if (!sample) co_return;  // no longer running (or gone): the stream ends
  }
}

}  // namespace

void add_container_stats_route(Router& router, std::shared_ptr<const ContainersContext> context) {
  router.add(http::verb::get, "/v1/containers/{id}/stats",
             [context](const Request& request, ResponseWriter& writer) -> asio::awaitable<void> {
               co_await stats_route(*context, request, writer);
             });
}

}  // namespace silo::api
