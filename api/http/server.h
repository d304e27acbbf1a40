// HttpServer: owns what every connection shares (router, limits), counts and tracks the open
// sessions of every listener, refuses connections over the limit, and shuts down gracefully: stop
// accepting, let in-flight requests finish within Limits::shutdown_grace, then cut what is left.
#pragma once

#include "api/http/limits.h"
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

  // Registers a session; false when the server is stopping or at max_connections (the caller
  // then refuses the connection). The id is passed back to session_ended.
  bool admit(std::shared_ptr<SessionControl> session, std::uint64_t& id);
  void session_ended(std::uint64_t id);

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
  // Strong references: a session lives from admit() until it calls session_ended(), whatever
  // executor its coroutine first runs on (co_spawn may post it after the acceptor let go).
  std::map<std::uint64_t, std::shared_ptr<SessionControl>> sessions_;
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::function<void()> on_done_;
};

}  // namespace silo::api
