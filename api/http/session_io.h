// SessionIo<Stream>: the I/O half of a Session. It owns the stream, the read buffer and the
// timers, reads requests under the configured timeouts, and is the ResponseWriter handlers answer
// through. All of it runs on the stream's strand; request_stop/force_close are posted there.
//
// Timeouts are a steady_timer that cancels the lowest layer when it fires, which works the same for
// every stream type (a Beast basic_stream would tie us to sockets; named pipes are not sockets).
#pragma once

#include "api/http/error_response.h"
#include "api/http/limits.h"
#include "api/http/response_writer.h"
#include "api/http/stream_traits.h"
#include "api/transport/peer.h"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>

namespace silo::api {

namespace beast = boost::beast;

// The answer to a request that could not be read whole, or none when nobody is left to answer.
// timeout_phase names the phase whose timeout fired ("header", "body"), or is empty.
std::optional<Response> rejection_for(boost::system::error_code ec, std::string_view timeout_phase, const Limits& limits);

template <class Stream>
class SessionIo final : public ResponseWriter {
 public:
  SessionIo(Stream stream, const Limits& limits)
      : stream_(std::move(stream)), limits_(limits), deadline_(stream_.get_executor()), wait_timer_(stream_.get_executor()) {}

  // The session that owns this object; timers and watchers hold it alive while they run.
  void set_owner(std::weak_ptr<void> owner) { owner_ = std::move(owner); }
  auto executor() { return stream_.get_executor(); }

  // Before the first request: the stream's handshake (TLS), under its own short timeout so a client
  // that connects and stalls is cut like one that stalls mid-header. Fills peer from what the
  // handshake verified. False: the connection must close without an answer.
  asio::awaitable<bool> handshake(PeerIdentity& peer) {
    if constexpr (SessionStreamTraits<Stream>::has_handshake) {
      arm(limits_.handshake_timeout, "handshake");
      auto ec = co_await SessionStreamTraits<Stream>::handshake(stream_, peer);
      disarm();
      co_return !ec;
    } else {
      co_return true;
    }
  }

  // After the last response: an orderly end of the stream (TLS close_notify), bounded by the write
  // timeout so a peer that never answers cannot hold the session.
  asio::awaitable<void> shutdown() {
    if constexpr (SessionStreamTraits<Stream>::has_handshake) {
      if (closed_ || broken_) co_return;
      arm(std::min(limits_.write_timeout, std::chrono::milliseconds(5000)), "shutdown");
      co_await SessionStreamTraits<Stream>::shutdown(stream_);
      disarm();
    }
  }

  // Waits for the first byte of the next request under the idle timeout. False: close.
  asio::awaitable<bool> wait_for_request() {
    if (stop_requested_ || closed_) co_return false;
    if (buffer_.size() > 0) co_return true;  // a pipelined request is already here
    idle_ = true;
    arm(limits_.idle_timeout, "");
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(4096), asio::as_tuple(asio::use_awaitable));
    disarm();
    idle_ = false;
    if (ec) co_return false;
    buffer_.commit(n);
    co_return true;
  }

  asio::awaitable<boost::system::error_code> read_header(http::request_parser<http::string_body>& parser) {
    arm(limits_.header_timeout, "header");
    auto [ec, n] = co_await http::async_read_header(stream_, buffer_, parser, asio::as_tuple(asio::use_awaitable));
    disarm();
    co_return ec;
  }

  asio::awaitable<boost::system::error_code> read_body(http::request_parser<http::string_body>& parser) {
    if (parser.is_done()) co_return boost::system::error_code{};
    arm(limits_.body_timeout, "body");
    auto [ec, n] = co_await http::async_read(stream_, buffer_, parser, asio::as_tuple(asio::use_awaitable));
    disarm();
    co_return ec;
  }

  // One read of a streaming body (StreamingBody): the body timeout applies to each read, so a slow
  // but steady upload of any size goes through while a stalled one is cut.
  template <class Parser>
  asio::awaitable<boost::system::error_code> read_body_some(Parser& parser) {
    arm(limits_.body_timeout, "body");
    auto [ec, n] = co_await http::async_read_some(stream_, buffer_, parser, asio::as_tuple(asio::use_awaitable));
    disarm();
    if (ec == http::error::need_buffer) ec = {};
    co_return ec;
  }

  // While a handler answers before reading its whole body, the connection cannot be reused.
  void set_body_unfinished(bool unfinished) noexcept { body_unfinished_ = unfinished; }

  asio::awaitable<void> send_continue() {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    co_await write_bytes(asio::buffer(kContinue.data(), kContinue.size()));
  }

  void begin_request(unsigned version, std::string request_id, bool keep_alive = false) {
    version_ = version;
    request_id_ = std::move(request_id);
    keep_alive_ = keep_alive;
    responded_ = streaming_ = stream_ended_ = false;
    status_ = 0;
    bytes_ = 0;
  }

  asio::awaitable<void> send(Response response) override { co_await send(std::move(response), keep_alive_); }

  asio::awaitable<void> send(Response response, bool keep_alive) {
    if (responded_) {
      broken_ = true;  // a second answer (or one after a stream began) cannot be framed: cut instead
      co_return;
    }
    responded_ = true;
    keep_alive_ = keep_alive && !stop_requested_ && !body_unfinished_;
    http::response<http::string_body> message{response.status, version_};
    set_common_headers(message, response.content_type);
    for (auto& [name, value] : response.headers) message.set(name, value);
    message.body() = std::move(response.body);
    message.keep_alive(keep_alive_);
    message.prepare_payload();
    status_ = static_cast<unsigned>(response.status);
    http::response_serializer<http::string_body> serializer{message};
    co_await write_message(serializer);
  }

  asio::awaitable<bool> begin_stream(http::status status, std::string content_type) override {
    if (responded_ || broken_) co_return false;
    responded_ = streaming_ = true;
    // HTTP/1.0 has no chunks: the body ends when the connection does.
    keep_alive_ = keep_alive_ && !stop_requested_ && !body_unfinished_ && version_ == 11;
    http::response<http::empty_body> message{status, version_};
    set_common_headers(message, content_type);
    message.keep_alive(keep_alive_);
    if (version_ == 11) message.chunked(true);  // HTTP/1.0 gets the body until the connection closes
    status_ = static_cast<unsigned>(status);
    http::response_serializer<http::empty_body> serializer{message};
    // Header only: serializing the whole empty-body message would also send the last chunk.
    arm(limits_.write_timeout, "write");
    auto [ec, n] = co_await http::async_write_header(stream_, serializer, asio::as_tuple(asio::use_awaitable));
    disarm();
    bytes_ += n;
    if (ec) broken_ = true;
    co_return !broken_;
  }

  asio::awaitable<bool> write_chunk(std::string data) override {
    if (!streaming_ || stream_ended_ || broken_ || closed_) co_return false;
    if (data.empty()) co_return true;  // an empty chunk would end the stream
    if (version_ == 11) {
      co_await write_bytes(http::make_chunk(asio::buffer(data)));
    } else {
      co_await write_bytes(asio::buffer(data));
    }
    co_return !broken_;
  }

  asio::awaitable<void> end_stream() override {
    if (!streaming_ || stream_ended_ || broken_) co_return;
    stream_ended_ = true;
    if (version_ == 11) co_await write_bytes(http::make_chunk_last());
  }

  std::function<void()> waker() override {
    return [owner = owner_, self = this, ex = executor()] {
      asio::post(ex, [owner, self] {
        if (auto alive = owner.lock()) {
          self->wake_pending_ = true;
          self->wait_timer_.cancel();
        }
      });
    };
  }

  asio::awaitable<WakeReason> wait(std::optional<std::chrono::nanoseconds> timeout) override {
    auto must_close = [&] { return stop_requested_ || closed_ || peer_gone_ || broken_; };
    if (must_close()) co_return WakeReason::closing;
    if (wake_pending_) {
      wake_pending_ = false;
      co_return WakeReason::woken;
    }
    if (!watching_peer_) {
      // A waiting stream learns of a hang-up only by reading; from here on the watcher owns the
      // read side, so this connection closes after the response.
      watching_peer_ = true;
      asio::co_spawn(executor(), watch_peer(owner_.lock()), asio::detached);
    }
    wait_timer_.expires_after(timeout ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(*timeout)
                                      : std::chrono::hours(24 * 365));
    auto [ec] = co_await wait_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (must_close()) co_return WakeReason::closing;
    if (wake_pending_) {
      wake_pending_ = false;
      co_return WakeReason::woken;
    }
    co_return ec ? WakeReason::woken : WakeReason::deadline;
  }

  // After the handler: make sure the client got a complete answer.
  asio::awaitable<void> finish_response() {
    if (!responded_) {
      Response missing = error_response(http::status::internal_server_error, Errc::internal,
                                        "the handler sent no response (request id " + request_id_ + ")");
      co_await send(std::move(missing));
    }
    if (streaming_) co_await end_stream();
  }

  bool can_continue() const noexcept {
    return keep_alive_ && !stop_requested_ && !broken_ && !watching_peer_ && !closed_ && timeout_phase_.empty();
  }

  void request_stop() {
    stop_requested_ = true;
    if (idle_) cancel_io();  // nobody is mid-request: close now
    wait_timer_.cancel();    // streaming handlers end their streams
  }

  void force_close() {
    closed_ = stop_requested_ = true;
    close();
  }

  void close() {
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).cancel(ignored);
    beast::get_lowest_layer(stream_).close(ignored);
    deadline_.cancel();
    wait_timer_.cancel();
  }

  std::string_view timeout_phase() const noexcept { return timeout_phase_; }
  bool timed_out() const noexcept { return !timeout_phase_.empty(); }
  unsigned status() const noexcept { return status_; }
  std::size_t bytes_written() const noexcept { return bytes_; }
  const Limits& limits() const noexcept { return limits_; }

 private:
  template <class Message>
  void set_common_headers(Message& message, std::string_view content_type) {
    message.set(http::field::content_type, content_type);
    message.set("X-Request-Id", request_id_);
    message.set("Api-Version", "v1");
  }

  template <class Serializer>
  asio::awaitable<void> write_message(Serializer& serializer) {
    arm(limits_.write_timeout, "write");
    auto [ec, n] = co_await http::async_write(stream_, serializer, asio::as_tuple(asio::use_awaitable));
    disarm();
    bytes_ += n;
    if (ec) broken_ = true;
  }

  template <class Buffers>
  asio::awaitable<void> write_bytes(const Buffers& buffers) {
    arm(limits_.write_timeout, "write");
    auto [ec, n] = co_await asio::async_write(stream_, buffers, asio::as_tuple(asio::use_awaitable));
    disarm();
    bytes_ += n;
    if (ec) broken_ = true;
  }

  // While a stream is open the client sends nothing; a read that ends means it hung up.
  // `keep` holds the session alive until the read ends.
  asio::awaitable<void> watch_peer(std::shared_ptr<void> keep) {
    auto owner = std::move(keep);
    std::array<char, 256> scratch{};
    for (;;) {
      auto [ec, n] = co_await stream_.async_read_some(asio::buffer(scratch), asio::as_tuple(asio::use_awaitable));
      if (ec) break;
    }
    peer_gone_ = true;
    wait_timer_.cancel();
  }

  void arm(std::chrono::milliseconds after, std::string_view phase) {
    auto generation = ++generation_;
    deadline_.expires_after(after);
    deadline_.async_wait([owner = owner_, self = this, generation, phase](boost::system::error_code ec) {
      auto alive = owner.lock();
      if (ec || !alive || generation != self->generation_) return;
      self->timeout_phase_ = phase.empty() ? "idle" : phase;
      self->cancel_io();
    });
  }

  void disarm() {
    ++generation_;
    deadline_.cancel();
  }

  void cancel_io() {
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).cancel(ignored);
  }

  Stream stream_;
  Limits limits_;
  beast::flat_buffer buffer_;
  asio::steady_timer deadline_;
  asio::steady_timer wait_timer_;
  std::weak_ptr<void> owner_;
  std::uint64_t generation_ = 0;
  std::string_view timeout_phase_;

  unsigned version_ = 11;
  std::string request_id_;
  unsigned status_ = 0;
  std::size_t bytes_ = 0;
  bool keep_alive_ = false;
  bool responded_ = false;
  bool streaming_ = false;
  bool stream_ended_ = false;
  bool broken_ = false;
  bool idle_ = false;
  bool stop_requested_ = false;
  bool closed_ = false;
  bool peer_gone_ = false;
  bool wake_pending_ = false;
  bool watching_peer_ = false;
  bool body_unfinished_ = false;
};

}  // namespace silo::api
