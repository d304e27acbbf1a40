// HttpExchange::upload: a request whose body is read piece by piece from a BodySource and written
// as it is read (a layer tar of any size never sits in memory whole). The daemon may answer before
// the body is complete (a refused parent, a body over its limit) and then close; the answer it sent
// is what the caller gets, not the broken pipe.
#include "api/client/client.h"
#include "api/client/detail/any_stream.h"
#include "api/client/http_exchange.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <vector>

namespace silo::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr std::size_t kPieceBytes = 256 * 1024;

ClientError io_failed(std::string_view what, const boost::system::error_code& ec) {
  std::string reason = ec == beast::error::timeout ? std::string("timed out") : ec.message();
  return unreachable(make_error(Errc::unavailable, std::string(what) + ": " + reason));
}

http::request<http::buffer_body> upload_head(const HttpRequest& request, const Endpoint& endpoint,
                                             const std::string& user_agent, std::optional<std::uint64_t> length) {
  http::request<http::buffer_body> req;
  req.method_string(request.method);
  req.target(request.target);
  req.version(11);
  req.set(http::field::host, endpoint.transport == Transport::tcp
                                 ? endpoint.hostname + ":" + std::to_string(endpoint.port)
                                 : std::string("localhost"));
  req.set(http::field::user_agent, user_agent);
  req.set(http::field::connection, "close");
  req.set(http::field::content_type, request.content_type);
  if (length) req.content_length(*length);
  else req.chunked(true);
  req.body().data = nullptr;
  req.body().more = true;
  return req;
}

template <class Stream>
ClientResult<HttpResponse> read_answer(asio::io_context& ioc, Stream& stream, const Timeouts& timeouts,
                                       std::size_t max_body_bytes) {
  beast::get_lowest_layer(stream).expires_after(timeouts.io);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(64 * 1024);
  parser.body_limit(max_body_bytes);
  auto ec = detail::run_one(ioc, [&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); });
  if (ec) return io_failed("reading the response", ec);
  HttpResponse response;
  response.head.status = static_cast<int>(parser.get().result_int());
  for (const auto& field : parser.get()) {
    response.head.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(parser.get().body());
  return response;
}

// Writes the body; a write error ends the body early and is returned, a source error too.
template <class Stream>
std::optional<ClientResult<HttpResponse>> write_body(asio::io_context& ioc, Stream& stream,
                                                     http::request<http::buffer_body>& req,
                                                     http::request_serializer<http::buffer_body>& serializer,
                                                     const Timeouts& timeouts, const BodySource& source,
                                                     boost::system::error_code& write_error) {
  std::vector<char> piece(kPieceBytes);
  for (;;) {
    auto got = source(std::span<char>(piece.data(), piece.size()));
    if (!got) return ClientResult<HttpResponse>(got.error());
    req.body().data = *got > 0 ? piece.data() : nullptr;
    req.body().size = *got;
    req.body().more = *got > 0;
    beast::get_lowest_layer(stream).expires_after(timeouts.io);
    write_error = detail::run_one(ioc, [&](auto handler) { http::async_write(stream, serializer, std::move(handler)); });
    if (write_error == http::error::need_buffer) write_error = {};
    if (write_error || *got == 0) return std::nullopt;
  }
}

template <class Stream>
ClientResult<HttpResponse> upload_on(asio::io_context& ioc, Stream& stream, http::request<http::buffer_body>& req,
                                     const Timeouts& timeouts, const BodySource& source, std::size_t max_body_bytes) {
  http::request_serializer<http::buffer_body> serializer{req};
  beast::get_lowest_layer(stream).expires_after(timeouts.io);
  auto ec = detail::run_one(ioc, [&](auto handler) { http::async_write_header(stream, serializer, std::move(handler)); });
  if (ec) return io_failed("sending the request", ec);
  boost::system::error_code write_error;
  if (auto failed = write_body(ioc, stream, req, serializer, timeouts, source, write_error)) return *failed;
  auto answer = read_answer(ioc, stream, timeouts, max_body_bytes);
  // An early answer (the daemon stopped reading) explains a broken write better than the write.
  if (write_error && !answer) return io_failed("sending the request body", write_error);
  return answer;
}

}  // namespace

ClientResult<HttpResponse> HttpExchange::upload(const HttpRequest& request, const BodySource& source,
                                                std::optional<std::uint64_t> content_length,
                                                std::size_t max_body_bytes) const {
  asio::io_context ioc;
  auto connected = detail::connect(ioc, endpoint_, timeouts_);
  if (!connected) return connected.error();
  auto req = upload_head(request, endpoint_, user_agent_, content_length);
  return std::visit(
      [&](auto& stream) { return upload_on(ioc, stream, req, timeouts_, source, max_body_bytes); }, *connected);
}

ClientResult<HttpResponse> Client::upload(const HttpRequest& request, const BodySource& source,
                                          std::optional<std::uint64_t> content_length) const {
  return exchange_.upload(request, source, content_length);
}

}  // namespace silo::client
