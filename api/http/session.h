// Session<Stream>: one HTTP/1.1 connection, for every stream type (unix socket, named pipe, TCP,
// TLS over TCP). A stream with a handshake (SessionStreamTraits, stream_traits.h) runs it before the
// first request and its orderly shutdown after the last. A Stream must be
// an Asio async read/write stream whose executor is a strand, and whose lowest layer (see
// beast::get_lowest_layer) has cancel() and close(ec).
//
// The loop: wait for the first byte of a request (idle timeout), read the header (header timeout,
// header size limit), find the route to learn its body limit, read the body (body timeout), dispatch,
// write (write timeout), log one access line, and go again while keep-alive holds. Any failure of
// one connection ends that connection only.
#pragma once

#include "api/http/access_log.h"
#include "api/http/error_response.h"
#include "api/http/request_id.h"
#include "api/http/server.h"
#include "api/http/session_io.h"
#include "api/http/streaming_body.h"
#include "api/http/target.h"
#include "core/logging.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>

#include <memory>

namespace silo::api {

template <class Stream>
class Session final : public SessionControl, public std::enable_shared_from_this<Session<Stream>> {
 public:
  // Serves the connection, or refuses it when a limit does (HttpServer::admit): a TCP peer's
  // connection is closed at once, before any TLS work is spent on it; a local one gets a 503.
  static void start(Stream stream, PeerIdentity peer, std::shared_ptr<HttpServer> server) {
    auto session = std::shared_ptr<Session>(new Session(std::move(stream), std::move(peer), server));
    session->io_.set_owner(session);
    constexpr bool kHandshake = SessionStreamTraits<Stream>::has_handshake;
    session->admission_ = server->admit(session, session->peer_, kHandshake, session->id_);
    if (session->admission_ == Admission::admitted) {
      asio::co_spawn(session->io_.executor(), session->run(), asio::detached);
      return;
    }
    server->log_refusal(session->peer_, session->admission_);
    if (!session->peer_.remote_address.empty()) {
      asio::post(session->io_.executor(), [session] { session->io_.close(); });
      return;
    }
    // Not admitted, so the server holds no reference: the completion handler keeps it alive.
    asio::co_spawn(session->io_.executor(), session->refuse(), [session](const std::exception_ptr&) {});
  }

  void request_stop() override {
    asio::post(io_.executor(), [self = this->shared_from_this()] { self->io_.request_stop(); });
  }
  void force_close() override {
    asio::post(io_.executor(), [self = this->shared_from_this()] { self->io_.force_close(); });
  }

 private:
  Session(Stream stream, PeerIdentity peer, std::shared_ptr<HttpServer> server)
      : server_(std::move(server)), io_(std::move(stream), server_->limits()), peer_(std::move(peer)) {}

  // Built outside the coroutine: GCC 12 mishandles temporaries in a conditional inside co_await.
  Response refusal() const {
    return error_response(http::status::service_unavailable, Errc::unavailable,
                          describe_refusal(admission_, server_->limits()));
  }

  // The completion handler given to co_spawn in start() holds the session until the coroutine ends:
  // co_spawn may run the body later (it posts when called off the session's executor), after
  // start() has dropped its own reference. (A by-value shared_ptr parameter of the coroutine does
  // the same in principle, but GCC 12 Debug builds then resume a corrupt frame.)
  asio::awaitable<void> refuse() {
    auto self = this->shared_from_this();
    io_.begin_request(11, new_request_id());
    Response response = refusal();
    co_await io_.send(std::move(response), /*keep_alive=*/false);
    co_await io_.shutdown();
    io_.close();
  }

  asio::awaitable<void> run() {
    auto self = this->shared_from_this();
    if (co_await io_.handshake(peer_)) {
      server_->handshake_done(id_);
      while (co_await serve_one()) {
      }
      co_await io_.shutdown();
    }
    io_.close();
    server_->session_ended(id_);
  }

  // Serves one request; false when the connection must close.
  asio::awaitable<bool> serve_one() {
    if (!co_await io_.wait_for_request()) co_return false;
    auto started = std::chrono::steady_clock::now();
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(server_->limits().max_header_bytes, UINT32_MAX)));
    // No bound while reading the header: the route, known only after it, sets the body bound.
    parser.body_limit(boost::none);

    auto header_ec = co_await io_.read_header(parser);
    if (header_ec) co_return co_await reject(header_ec, parser, started);

    Request request = co_await start_request(parser);
    std::size_t body_limit = server_->limits().max_body_bytes;
    bool streaming = false;
    if (auto route = server_->router().match(request.method, request.path); auto* found = std::get_if<RouteMatch>(&route)) {
      if (found->route->max_body_bytes) body_limit = *found->route->max_body_bytes;
      streaming = found->route->streaming_body;
    }
    parser.body_limit(body_limit);
    if (auto length = parser.content_length(); !pending_error_ && length && *length > body_limit) {
      pending_error_ = error_response(http::status::payload_too_large, Errc::invalid_argument,
                                      "request body of " + std::to_string(*length) + " bytes exceeds the limit of " +
                                          std::to_string(body_limit) + " bytes");
    }
    if (pending_error_) co_return co_await finish_rejected(request, started);
    if (auto expect = parser.get()[http::field::expect]; boost::algorithm::iequals(expect, "100-continue")) {
      if (!parser.is_done()) co_await io_.send_continue();
    }
    if (streaming) co_return co_await serve_streaming(parser, request, body_limit, started);

    auto body_ec = co_await io_.read_body(parser);
    if (body_ec) co_return co_await reject(body_ec, parser, started);
    auto message = parser.release();
    request.body = std::move(message.body());
    bool keep_alive = message.keep_alive();

    io_.begin_request(request.version, request.request_id, keep_alive);
    co_await dispatch(server_->router(), request, io_);
    co_await io_.finish_response();
    log(request.method_text, request.target, started, request.request_id);
    co_return io_.can_continue();
  }

  // Fills a Request from the parsed header. A target that does not parse leaves a 400 in
  // pending_error_.
  asio::awaitable<Request> start_request(http::request_parser<http::string_body>& parser) {
    const auto& header = parser.get();
    Request request;
    request.version = header.version() == 10 ? 10 : 11;
    auto supplied = header[kRequestIdHeader];
    request.request_id = choose_request_id(std::string_view(supplied.data(), supplied.size()));
    request.method = header.method();
    request.method_text = std::string(header.method_string());
    request.target = std::string(header.target());
    request.headers = header.base();
    request.peer = peer_;
    auto target = parse_target(request.target);
    if (!target) {
      pending_error_ = error_response(target.error());
      co_return request;
    }
    request.path = std::move(target->path);
    request.query = std::move(target->query);
    co_return request;
  }

  // A streaming-body route: the handler reads the body; a body it leaves unread closes the connection.
  asio::awaitable<bool> serve_streaming(http::request_parser<http::string_body>& header_parser, Request& request,
                                        std::size_t body_limit, std::chrono::steady_clock::time_point started) {
    StreamingParser parser{std::move(header_parser)};
    parser.body_limit(body_limit);
    bool keep_alive = parser.get().keep_alive();
    io_.begin_request(request.version, request.request_id, keep_alive);
    StreamingBody<Stream> body(io_, parser, body_limit);
    request.body_reader = &body;
    co_await dispatch(server_->router(), request, io_);
    co_await io_.finish_response();
    request.body_reader = nullptr;
    log(request.method_text, request.target, started, request.request_id);
    bool reusable = parser.is_done() && io_.can_continue();
    io_.set_body_unfinished(false);
    co_return reusable;
  }

  asio::awaitable<bool> finish_rejected(Request& request, std::chrono::steady_clock::time_point started) {
    io_.begin_request(request.version, request.request_id);
    const http::status status = pending_error_->status;
    co_await io_.send(std::move(*pending_error_), /*keep_alive=*/false);
    co_await record_rejected(server_->router(), request, status);
    log(request.method_text, request.target, started, request.request_id);
    co_return false;
  }

  // Answers a request that could not be read whole, when there is still someone to answer.
  asio::awaitable<bool> reject(boost::system::error_code ec, http::request_parser<http::string_body>& parser,
                               std::chrono::steady_clock::time_point started) {
    auto reply = rejection_for(ec, io_.timeout_phase(), server_->limits());
    if (!reply) co_return false;  // the client left, or the daemon is cutting the connection
    std::string rid = new_request_id();
    std::string method = "-";
    std::string target = "-";
    if (parser.is_header_done()) {
      auto supplied = parser.get()[kRequestIdHeader];
      rid = choose_request_id(std::string_view(supplied.data(), supplied.size()));
      method = std::string(parser.get().method_string());
      target = std::string(parser.get().target());
    }
    io_.begin_request(11, rid);
    co_await io_.send(std::move(*reply), /*keep_alive=*/false);
    log(method, target, started, rid);
    co_return false;
  }

  void log(std::string_view method, std::string_view target, std::chrono::steady_clock::time_point started,
           std::string_view rid) {
    log_access({method, target, io_.status(), io_.bytes_written(), std::chrono::steady_clock::now() - started, &peer_, rid});
  }

  std::shared_ptr<HttpServer> server_;
  SessionIo<Stream> io_;
  PeerIdentity peer_;
  std::uint64_t id_ = 0;
  Admission admission_ = Admission::admitted;
  std::optional<Response> pending_error_;
};

}  // namespace silo::api
