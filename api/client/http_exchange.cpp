#include "api/client/http_exchange.h"

#include "api/client/detail/any_stream.h"

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <boost/algorithm/string/predicate.hpp>

#include <array>

namespace silo::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// Headers are bounded by the daemon too; this only keeps a misbehaving peer from growing memory.
constexpr std::uint32_t kMaxHeaderBytes = 64 * 1024;

ClientError io_failed(std::string_view what, const boost::system::error_code& ec) {
  std::string reason = ec == beast::error::timeout ? std::string("timed out") : ec.message();
  return unreachable(make_error(Errc::unavailable, std::string(what) + ": " + reason));
}

http::request<http::string_body> build(const HttpRequest& request, const Endpoint& endpoint,
                                       const std::string& user_agent) {
  http::request<http::string_body> req;
  req.method_string(request.method);
  req.target(request.target);
  req.version(11);
  // A unix socket has no host name; "localhost" is what curl and docker send there.
  req.set(http::field::host, endpoint.transport == Transport::tcp
                                 ? endpoint.hostname + ":" + std::to_string(endpoint.port)
                                 : std::string("localhost"));
  req.set(http::field::user_agent, user_agent);
  req.set(http::field::connection, "close");
  if (!request.body.empty()) {
    req.set(http::field::content_type, request.content_type);
    req.body() = request.body;
  }
  req.prepare_payload();
  return req;
}

// A peer that closes early is a transport failure; anything else Beast's parser rejects is not HTTP.
bool is_parse_error(const boost::system::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

HttpHead head_of(const http::response_parser<http::buffer_body>& parser) {
  HttpHead head;
  head.status = static_cast<int>(parser.get().result_int());
  for (const auto& field : parser.get()) {
    head.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  return head;
}

template <class Stream>
ClientResult<HttpHead> exchange_on(asio::io_context& ioc, Stream& stream, const HttpRequest& request,
                                   const http::request<http::string_body>& req, const Timeouts& timeouts,
                                   const std::function<void(const HttpHead&)>& on_head, const BodySink& on_body) {
  beast::get_lowest_layer(stream).expires_after(timeouts.io);
  auto ec = detail::run_one(ioc, [&](auto handler) { http::async_write(stream, req, std::move(handler)); });
  if (ec) return io_failed("sending the request", ec);

  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  parser.header_limit(kMaxHeaderBytes);
  parser.body_limit(boost::none);  // the sink decides how much it keeps
  ec = detail::run_one(ioc, [&](auto handler) { http::async_read_header(stream, buffer, parser, std::move(handler)); });
  if (ec && is_parse_error(ec)) return protocol_error("the daemon's response is not valid HTTP: " + ec.message());
  if (ec) return io_failed("reading the response", ec);

  HttpHead head = head_of(parser);
  on_head(head);
  if (request.unbounded_body_wait && head.status < 400) beast::get_lowest_layer(stream).expires_never();

  std::array<char, 16 * 1024> chunk{};
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    if (!request.unbounded_body_wait || head.status >= 400) beast::get_lowest_layer(stream).expires_after(timeouts.io);
    ec = detail::run_one(ioc, [&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); });
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return io_failed("reading the response body", ec);
    const std::size_t got = chunk.size() - parser.get().body().size;
    if (got > 0 && !on_body(std::string_view(chunk.data(), got))) break;
  }
  return head;
}

}  // namespace

std::string HttpHead::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (boost::algorithm::iequals(key, name)) return value;  // strncasecmp is POSIX-only
  }
  return {};
}

HttpExchange::HttpExchange(Endpoint endpoint, Timeouts timeouts, std::string user_agent)
    : endpoint_(std::move(endpoint)), timeouts_(timeouts), user_agent_(std::move(user_agent)) {}

ClientResult<HttpHead> HttpExchange::stream(const HttpRequest& request,
                                            const std::function<void(const HttpHead&)>& on_head,
                                            const BodySink& on_body) const {
  asio::io_context ioc;
  auto connected = detail::connect(ioc, endpoint_, timeouts_);
  if (!connected) return connected.error();
  const auto req = build(request, endpoint_, user_agent_);
  return std::visit(
      [&](auto& stream) { return exchange_on(ioc, stream, request, req, timeouts_, on_head, on_body); },
      *connected);
}

ClientResult<HttpResponse> HttpExchange::send(const HttpRequest& request, std::size_t max_body_bytes) const {
  HttpResponse response;
  bool too_large = false;
  auto head = stream(
      request, [](const HttpHead&) {},
      [&](std::string_view piece) {
        if (response.body.size() + piece.size() > max_body_bytes) {
          too_large = true;
          return false;
        }
        response.body.append(piece);
        return true;
      });
  if (!head) return head.error();
  response.head = std::move(*head);
  if (too_large) {
    return protocol_error("the daemon's response is larger than " + std::to_string(max_body_bytes) + " bytes",
                          response.head.status);
  }
  return response;
}

}  // namespace silo::client
