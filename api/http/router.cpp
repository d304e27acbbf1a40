#include "api/http/router.h"

#include "api/http/error_response.h"
#include "core/logging.h"

#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <exception>

namespace silo::api {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool is_capture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Fills params and returns true when path fits pattern.
bool matches(std::string_view pattern, std::string_view path, std::vector<std::pair<std::string, std::string>>& params) {
  auto want = split_path(pattern);
  auto have = split_path(path);
  if (want.size() != have.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (is_capture(want[i])) {
      if (have[i].empty()) return false;
      params.emplace_back(std::string(want[i].substr(1, want[i].size() - 2)), std::string(have[i]));
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::add(http::verb method, std::string pattern, Handler handler, std::optional<std::size_t> max_body_bytes) {
  routes_.push_back(Route{method, std::move(pattern), std::move(handler), max_body_bytes});
}

void Router::add_streaming(http::verb method, std::string pattern, Handler handler, std::size_t max_body_bytes) {
  routes_.push_back(Route{method, std::move(pattern), std::move(handler), max_body_bytes, true});
}

void Router::add_plain(http::verb method, std::string pattern, PlainHandler handler) {
  add(method, std::move(pattern),
      [handler = std::move(handler)](const Request& request, ResponseWriter& writer) -> asio::awaitable<void> {
        co_await writer.send(handler(request));
      });
}

std::variant<RouteMatch, Response> Router::match(http::verb method, std::string_view path) const {
  std::vector<std::pair<std::string, std::string>> params;
  std::string allow;
  for (const auto& route : routes_) {
    if (!matches(route.pattern, path, params)) continue;
    if (route.method == method) return RouteMatch{&route, std::move(params)};
    std::string name(http::to_string(route.method));
    if (allow.find(name) == std::string::npos) allow += (allow.empty() ? "" : ", ") + name;
  }
  if (allow.empty()) {
    return error_response(http::status::not_found, Errc::not_found,
                          "no API route " + std::string(path) + " (this silod serves API v1)");
  }
  auto response = error_response(http::status::method_not_allowed, Errc::invalid_argument,
                                 "method not allowed on " + std::string(path) + "; allowed: " + allow);
  response.headers.emplace_back("Allow", allow);
  return response;
}

namespace {

// Remembers the status (and a complete body) a handler answers with, for the audit record.
class OutcomeWriter final : public ResponseWriter {
 public:
  OutcomeWriter(ResponseWriter& inner, bool keep_body) : inner_(inner), keep_body_(keep_body) {}

  asio::awaitable<void> send(Response response) override {
    status_ = response.status;
    if (keep_body_) body_ = response.body;
    co_await inner_.send(std::move(response));
  }
  asio::awaitable<bool> begin_stream(http::status status, std::string content_type) override {
    status_ = status;
    std::string type = std::move(content_type);
    co_return co_await inner_.begin_stream(status, std::move(type));
  }
  asio::awaitable<bool> write_chunk(std::string data) override {
    std::string chunk = std::move(data);
    co_return co_await inner_.write_chunk(std::move(chunk));
  }
  asio::awaitable<void> end_stream() override { co_await inner_.end_stream(); }
  std::function<void()> waker() override { return inner_.waker(); }
  asio::awaitable<WakeReason> wait(std::optional<std::chrono::nanoseconds> timeout) override {
    auto bound = timeout;
    co_return co_await inner_.wait(bound);
  }

  http::status status() const noexcept { return status_; }
  const std::string& body() const noexcept { return body_; }

 private:
  ResponseWriter& inner_;
  bool keep_body_;
  http::status status_ = http::status::internal_server_error;  // a handler that answered nothing
  std::string body_;
};

std::string describe_failure(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
  }
  return "unknown exception";
}

asio::awaitable<void> run_handler(const Route& route, Request& request, ResponseWriter& writer) {
  std::exception_ptr failure;
  try {
    co_await route.handler(request, writer);
  } catch (...) {
    failure = std::current_exception();
  }
  if (!failure) co_return;
  std::string what = describe_failure(failure);
  logging::get("api")->error("request {} {} failed: {} (rid={})", request.method_text, request.path, what,
                             request.request_id);
  // If the handler had already started answering, the session cuts the connection instead.
  Response failed = error_response(http::status::internal_server_error, Errc::internal,
                                   "internal error while handling the request (request id " + request.request_id + ")");
  co_await writer.send(std::move(failed));
}

}  // namespace

asio::awaitable<void> record_rejected(const Router& router, Request& request, http::status status) {
  AccessControl* control = router.access_control();
  if (!control) co_return;
  const Route* route = nullptr;
  auto found = router.match(request.method, request.path);
  if (auto* match = std::get_if<RouteMatch>(&found)) {
    route = match->route;
    request.path_params = std::move(match->path_params);
  }
  if (!control->audited(request, route)) co_return;
  control->identify(request);
  const std::string no_body;
  co_await control->record(request, route, status, no_body);
}

asio::awaitable<void> dispatch(const Router& router, Request& request, ResponseWriter& writer) {
  auto found = router.match(request.method, request.path);
  auto* match = std::get_if<RouteMatch>(&found);
  const Route* route = match ? match->route : nullptr;
  if (match) request.path_params = std::move(match->path_params);
  AccessControl* control = router.access_control();
  if (!control) {
    if (route) co_await run_handler(*route, request, writer);
    else co_await writer.send(std::move(std::get<Response>(found)));
    co_return;
  }
  std::optional<Response> refusal = control->authorize(request, route);
  const bool audited = control->audited(request, route);
  OutcomeWriter outcome(writer, audited);
  if (refusal) {
    co_await outcome.send(std::move(*refusal));
  } else if (!route) {
    co_await outcome.send(std::move(std::get<Response>(found)));
  } else {
    co_await run_handler(*route, request, outcome);
  }
  if (audited) {
    const http::status status = outcome.status();
    co_await control->record(request, route, status, outcome.body());
  }
}

}  // namespace silo::api
