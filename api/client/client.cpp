#include "api/client/client.h"

#include "api/client/ndjson.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace silo::client {
namespace {

std::optional<Errc> errc_from_wire(std::string_view code) {
  for (int i = static_cast<int>(Errc::not_found); i <= static_cast<int>(Errc::internal); ++i) {
    if (to_string(static_cast<Errc>(i)) == code) return static_cast<Errc>(i);
  }
  return std::nullopt;
}

}  // namespace

ClientError daemon_error(int status, std::string_view body) {
  const auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.contains("message") && parsed["message"].is_string() &&
      parsed.contains("code") && parsed["code"].is_string()) {
    const auto code = errc_from_wire(parsed["code"].get<std::string>());
    if (code) return ClientError{Failure::daemon, make_error(*code, parsed["message"].get<std::string>()), status};
  }
  return protocol_error("the daemon answered HTTP " + std::to_string(status) + " without an error body: " +
                            std::string(body.substr(0, 200)),
                        status);
}

Client::Client(ClientOptions options)
    : options_(std::move(options)), exchange_(options_.endpoint, options_.timeouts, options_.user_agent) {}

ClientResult<HttpResponse> Client::request(const HttpRequest& request) const { return exchange_.send(request); }

ClientResult<HttpResponse> Client::get_ok(const std::string& target) const {
  HttpRequest req;
  req.target = target;
  auto response = exchange_.send(req);
  if (!response) return response.error();
  if (response->head.status >= 400) return daemon_error(response->head.status, response->body);
  if (response->head.status != 200) {
    return protocol_error("unexpected HTTP status " + std::to_string(response->head.status) + " for " + target,
                          response->head.status);
  }
  return response;
}

ClientResult<void> Client::ping() const {
  auto response = get_ok("/_ping");
  if (!response) return response.error();
  if (response->body != "OK") return protocol_error("/_ping answered \"" + response->body.substr(0, 100) + "\"", 200);
  return {};
}

ClientResult<VersionInfo> Client::version() const {
  auto response = get_ok("/v1/version");
  if (!response) return response.error();
  return parse_version(response->body);
}

ClientResult<SystemInfo> Client::info() const {
  auto response = get_ok("/v1/info");
  if (!response) return response.error();
  return parse_info(response->body);
}

ClientResult<void> Client::events(const EventsQuery& query, const EventCallback& on_event) const {
  HttpRequest req;
  req.target = query.target();
  req.unbounded_body_wait = query.follow;

  int status = 0;
  std::string error_body;
  std::optional<ClientError> failure;
  NdjsonSplitter lines(options_.max_event_line_bytes);
  const auto on_line = [&](std::string_view line) {
    auto event = parse_event(line);
    if (!event) {
      failure = event.error();
      return false;
    }
    return on_event(*event);
  };
  auto head = exchange_.stream(
      req, [&status](const HttpHead& h) { status = h.status; },
      [&](std::string_view piece) {
        if (status >= 400) {
          error_body.append(piece.substr(0, 64 * 1024 - std::min<std::size_t>(error_body.size(), 64 * 1024)));
          return true;
        }
        auto fed = lines.feed(piece, on_line);
        if (!fed) failure = protocol_error(fed.error().message, status);
        return fed && *fed && !failure;
      });
  if (!head) return head.error();
  if (status >= 400) return daemon_error(status, error_body);
  if (failure) return *failure;
  return {};
}

}  // namespace silo::client
