// HttpServer: owns what every connection shares (router, limits), counts and tracks the open
// sessions of every listener, refuses connections over the limits, and shuts down gracefully: stop
// accepting, let in-flight requests finish within Limits::shutdown_grace, then cut what is left.
//
// The limits (api/http/limits.h), so strangers on the TCP port cannot lock out the host's owner:
// all connections share max_connections; TCP ones together get at most remote_connection_cap(), so
// the local socket or pipe always keeps a share; one TCP address gets max_connections_per_peer; and
// TCP connections still in their TLS handshake get max_pending_handshakes, the oldest cut when a new
// one needs the room. A verified client is never cut to make room.
#pragma once

#include "api/http/limits.h"
#include "api/http/refusal_log.h"
#include "api/http/router.h"
#include "api/transport/peer.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace silo::api {

// What the server needs from a session, whatever its stream type.
class SessionControl {
 public:
  virtual ~SessionControl() = default;
  // Finish the request in flight (if any), then close; an idle connection closes at once.
  virtual void request_stop() = 0;
  // Close now.
  virtual void force_close() = 0;
};

class HttpServer;

enum class Admission {
  admitted,
  stopping,           // the server is shutting down
  full,               // max_connections reached
  remote_share_full,  // the TCP share reached, and no handshake to cut
  peer_full,          // max_connections_per_peer reached for this address
};

// "connection limit reached (256)" and friends, for logs and 503 bodies.
std::string describe_refusal(Admission admission, const Limits& limits);

// A source of connections (unix socket, named pipe, TLS port).
class Listener {
 public:
  virtual ~Listener() = default;
  // Accepts connections into server until close().
  virtual void start(std::shared_ptr<HttpServer> server) = 0;
  virtual std::string address() const = 0;  // "unix:///run/silo/silod.sock"
  virtual void close() = 0;                 // stop accepting; thread-safe
};

class HttpServer : public std::enable_shared_from_this<HttpServer> {
 public:
  HttpServer(asio::any_io_executor executor, std::shared_ptr<const Router> router, Limits limits);

  const Router& router() const noexcept { return *router_; }
  const Limits& limits() const noexcept { return limits_; }
  asio::any_io_executor executor() const { return executor_; }

  void add_listener(std::shared_ptr<Listener> listener);

  // Registers a session unless a limit refuses it (the caller then refuses the connection); the id
  // is passed back to handshake_done and session_ended. handshake_pending: a TLS connection whose
  // handshake has not been made yet.
  Admission admit(std::shared_ptr<SessionControl> session, const PeerIdentity& peer, bool handshake_pending,
                  std::uint64_t& id);
  // The session's handshake succeeded: it no longer counts as pending, and is never cut for room.
  void handshake_done(std::uint64_t id);
  void session_ended(std::uint64_t id);
  // Logs a refused connection, once per peer address and interval however many there are.
  void log_refusal(const PeerIdentity& peer, Admission admission);

  bool stopping() const;
  std::size_t open_connections() const;

  // Graceful shutdown; on_done runs once every session has ended. Thread-safe, idempotent.
  void shutdown(std::function<void()> on_done);

 private:
  void arm_grace_timer();
  void finish_if_drained(std::unique_lock<std::mutex>& lock);

  asio::any_io_executor executor_;
  std::shared_ptr<const Router> router_;
  Limits limits_;
  asio::steady_timer grace_timer_;

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Listener>> listeners_;
  struct Entry {
    // Strong reference: a session lives from admit() until it calls session_ended(), whatever
    // executor its coroutine first runs on (co_spawn may post it after the acceptor let go).
    std::shared_ptr<SessionControl> session;
    std::string remote_host;  // the TCP peer's address without its port; empty for local transports
    bool pending = false;     // in its TLS handshake
    bool cut = false;         // closed to make room; counted nowhere while it winds down
  };
  struct Counts {
    std::size_t total = 0, remote = 0, pending = 0, from_peer = 0;
  };
  Counts count(const std::string& remote_host) const;  // under mutex_
  bool cut_oldest_pending();                           // under mutex_; false when none is pending

  std::map<std::uint64_t, Entry> sessions_;  // ordered by id, so the first pending one is the oldest
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::function<void()> on_done_;
  RefusalLog refusals_;
};

}  // namespace silo::api
