// GET /v1/containers/{id}/logs and GET /v1/exec/{id}/logs: the captured output as plain text, one
// line per entry in the order written, stdout and stderr interleaved (docker's non-TTY logs without
// the 8-byte multiplex header); timestamps=true prefixes each line with its RFC 3339 time and a
// space. follow=true keeps the stream open and sends new lines until the process ends or the
// client leaves. Query: follow, timestamps, tail (N or "all"), since, until, stdout, stderr.
#include "api/http/error_response.h"
#include "api/routes/containers/containers_context.h"
#include "core/logs/log_reader.h"

namespace silo::api {
namespace {

struct LogsRequest {
  logs::LogQuery query;
  bool follow = false;
  bool timestamps = false;
};

Result<LogsRequest> parse_logs_request(const Request& request) {
  LogsRequest out;
  auto flag = [&](std::string_view name, bool fallback) -> Result<bool> {
    auto value = query_bool(request, name);
    if (!value) return value.error();
    return value->value_or(fallback);
  };
  auto follow = flag("follow", false);
  if (!follow) return follow.error();
  auto timestamps = flag("timestamps", false);
  if (!timestamps) return timestamps.error();
  auto out_stream = flag("stdout", true);
  if (!out_stream) return out_stream.error();
  auto err_stream = flag("stderr", true);
  if (!err_stream) return err_stream.error();
  out.follow = *follow;
  out.timestamps = *timestamps;
  out.query.include_stdout = *out_stream;
  out.query.include_stderr = *err_stream;
  if (auto tail = request.query.get("tail"); tail && *tail != "all") {
    auto n = query_int(request, "tail", 0, 1'000'000);
    if (!n) return n.error();
    out.query.tail = static_cast<std::size_t>(**n);
  }
  for (auto [name, field] : {std::pair{"since", &logs::LogQuery::since}, std::pair{"until", &logs::LogQuery::until}}) {
    if (auto raw = request.query.get(name)) {
      auto t = parse_time(*raw);
      if (!t) return make_error(Errc::invalid_argument, std::string(name) + ": " + t.error().message);
      out.query.*field = *t;
    }
  }
  return out;
}

// Skips entries at or before `sent_through` (the follower opens before history is read, so the two
// overlap) and advances it.
std::string render(const std::vector<logs::LogEntry>& entries, bool timestamps, std::optional<TimeNs>& sent_through) {
  const auto skip_through = sent_through;
  std::string text;
  for (const auto& entry : entries) {
    if (skip_through && entry.time <= *skip_through) continue;
    if (!sent_through || entry.time > *sent_through) sent_through = entry.time;
    if (timestamps) text += format_rfc3339(entry.time) + " ";
    text += entry.text;
  }
  return text;
}

std::string text_type() { return "text/plain; charset=utf-8"; }

// Where the output is, and whether the process that writes it still runs.
struct LogSource {
  std::filesystem::path state_dir;
  std::function<bool()> running;
};

asio::awaitable<void> logs_route(const ContainersContext& ctx, const Result<LogSource>& source, const Request& request,
                                 ResponseWriter& writer) {
  if (!source) {
    co_await writer.send(error_response(source.error()));
    co_return;
  }
  auto parsed = parse_logs_request(request);
  if (!parsed) {
    co_await writer.send(error_response(parsed.error()));
    co_return;
  }
  std::optional<logs::LogFollower> follower;
  if (parsed->follow) {
    logs::LogQuery live = parsed->query;
    live.tail.reset();
    auto opened = logs::LogFollower::open(source->state_dir, live);
    if (opened) follower.emplace(std::move(*opened));
  }
  auto history = logs::read_logs(source->state_dir, parsed->query);
  if (!history && history.error().code != Errc::not_found) {
    co_await writer.send(error_response(history.error()));
    co_return;
  }
  std::optional<TimeNs> last_time;
  std::string first = history ? render(*history, parsed->timestamps, last_time) : std::string();
  if (!co_await writer.begin_stream(http::status::ok, text_type())) co_return;
  if (!co_await writer.write_chunk(std::move(first))) co_return;
  if (!follower) co_return;
  // Each round either sends new lines or sleeps one poll interval; it ends with the process.
  for (bool ending = false; !ending;) {
    ending = !source->running();
    auto fresh = follower->poll();
    if (!fresh) co_return;
    if (!co_await writer.write_chunk(render(*fresh, parsed->timestamps, last_time))) co_return;
    if (ending) co_return;
    if (co_await writer.wait(ctx.logs_poll) == WakeReason::closing) co_return;
  }
}

Result<LogSource> container_source(const ContainersContext& ctx, const Request& request) {
  auto record = ctx.containers->get(path_id(request));
  if (!record) return record.error();
  auto containers = ctx.containers;
  std::string id = record->id;
  return LogSource{ctx.containers->state_dir(id), [containers, id] {
                     auto now = containers->get(id);
                     return now && now->state == ContainerState::running;
                   }};
}

Result<LogSource> exec_source(const ContainersContext& ctx, const Request& request) {
  auto exec = ctx.execs->get(path_id(request));
  if (!exec) return exec.error();
  auto execs = ctx.execs;
  std::string id = exec->id;
  return LogSource{ctx.execs->state_dir(*exec), [execs, id] {
                     auto now = execs->get(id);
                     return now && now->running;
                   }};
}

}  // namespace

void add_container_logs_route(Router& router, std::shared_ptr<const ContainersContext> context) {
  router.add(http::verb::get, "/v1/containers/{id}/logs",
             [context](const Request& request, ResponseWriter& writer) -> asio::awaitable<void> {
               co_await logs_route(*context, container_source(*context, request), request, writer);
             });
  router.add(http::verb::get, "/v1/exec/{id}/logs",
             [context](const Request& request, ResponseWriter& writer) -> asio::awaitable<void> {
               co_await logs_route(*context, exec_source(*context, request), request, writer);
             });
}

}  // namespace silo::api
