#include "api/http/server.h"

#include "core/logging.h"

#include <boost/asio/post.hpp>

namespace silo::api {

HttpServer::HttpServer(asio::any_io_executor executor, std::shared_ptr<const Router> router, Limits limits)
    : executor_(executor), router_(std::move(router)), limits_(limits), grace_timer_(asio::make_strand(executor)) {}

void HttpServer::add_listener(std::shared_ptr<Listener> listener) {
  std::lock_guard lock(mutex_);
  listeners_.push_back(std::move(listener));
}

namespace {

// "192.0.2.7:51234" -> "192.0.2.7", "[::1]:51234" -> "[::1]".
std::string host_of(const std::string& remote_address) {
  auto colon = remote_address.rfind(':');
  if (colon == std::string::npos || remote_address.ends_with(']')) return remote_address;
  return remote_address.substr(0, colon);
}

}  // namespace

std::string describe_refusal(Admission admission, const Limits& limits) {
  switch (admission) {
    case Admission::admitted: return "admitted";
    case Admission::stopping: return "silod is shutting down";
    case Admission::full:
      return "too many open connections (limit " + std::to_string(limits.max_connections) +
             "); close idle connections or raise max-connections";
    case Admission::remote_share_full:
      return "too many open TCP connections (limit " + std::to_string(limits.remote_connection_cap()) +
             ", max-remote-connections; the rest is kept for the local socket)";
    case Admission::peer_full:
      return "too many open connections from this address (limit " + std::to_string(limits.max_connections_per_peer) +
             ", max-connections-per-peer)";
  }
  return "refused";
}

HttpServer::Counts HttpServer::count(const std::string& remote_host) const {
  Counts counts;
  for (const auto& [id, entry] : sessions_) {
    if (entry.cut) continue;
    ++counts.total;
    if (entry.remote_host.empty()) continue;
    ++counts.remote;
    if (entry.pending) ++counts.pending;
    if (entry.remote_host == remote_host) ++counts.from_peer;
  }
  return counts;
}

bool HttpServer::cut_oldest_pending() {
  for (auto& [id, entry] : sessions_) {
    if (entry.cut || !entry.pending) continue;
    entry.cut = true;
    entry.session->force_close();  // posts to the session's strand; it ends through session_ended
    return true;
  }
  return false;
}

Admission HttpServer::admit(std::shared_ptr<SessionControl> session, const PeerIdentity& peer, bool handshake_pending,
                            std::uint64_t& id) {
  const bool remote = !peer.remote_address.empty();
  const std::string remote_host = remote ? host_of(peer.remote_address) : std::string();
  std::lock_guard lock(mutex_);
  if (stopping_) return Admission::stopping;
  Counts counts = count(remote_host);
  if (remote) {
    if (counts.from_peer >= limits_.max_connections_per_peer) return Admission::peer_full;
    // A connection that is itself about to handshake may take a pending one's place; the cut
    // one's room is free at once (it no longer counts), though it winds down on its own strand.
    const bool share_full = counts.remote >= limits_.remote_connection_cap();
    const bool pending_full = handshake_pending && counts.pending >= limits_.max_pending_handshakes;
    if (share_full || pending_full) {
      if (!handshake_pending || !cut_oldest_pending()) return share_full ? Admission::remote_share_full : Admission::full;
      --counts.total;
    }
  }
  if (counts.total >= limits_.max_connections) return Admission::full;
  id = next_id_++;
  sessions_.emplace(id, Entry{std::move(session), remote_host, handshake_pending && remote, false});
  return Admission::admitted;
}

void HttpServer::handshake_done(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  if (auto found = sessions_.find(id); found != sessions_.end()) found->second.pending = false;
}

void HttpServer::log_refusal(const PeerIdentity& peer, Admission admission) {
  const std::string who = peer.remote_address.empty() ? peer.transport + " peers" : host_of(peer.remote_address);
  refusals_.refused(who, describe_refusal(admission, limits_));
}

void HttpServer::session_ended(std::uint64_t id) {
  std::shared_ptr<SessionControl> ending;  // released after the lock: its destructor may be long
  std::unique_lock lock(mutex_);
  if (auto found = sessions_.find(id); found != sessions_.end()) {
    ending = std::move(found->second.session);
    sessions_.erase(found);
  }
  finish_if_drained(lock);
}

bool HttpServer::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

std::size_t HttpServer::open_connections() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void HttpServer::shutdown(std::function<void()> on_done) {
  std::vector<std::shared_ptr<SessionControl>> live;
  std::vector<std::shared_ptr<Listener>> listeners;
  {
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    on_done_ = std::move(on_done);
    listeners.swap(listeners_);
    for (auto& [id, entry] : sessions_) live.push_back(entry.session);
    logging::get("api")->info("shutting down: {} open connection(s), grace {} ms", sessions_.size(),
                              limits_.shutdown_grace.count());
  }
  for (auto& listener : listeners) listener->close();
  for (auto& session : live) session->request_stop();

  // The timer lives on its strand; every touch of it is posted there.
  asio::post(grace_timer_.get_executor(), [self = shared_from_this()] { self->arm_grace_timer(); });
  std::unique_lock lock(mutex_);
  finish_if_drained(lock);
}

void HttpServer::arm_grace_timer() {
  {
    std::lock_guard lock(mutex_);
    if (sessions_.empty()) return;
  }
  grace_timer_.expires_after(limits_.shutdown_grace);
  grace_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    std::vector<std::shared_ptr<SessionControl>> left;
    {
      std::lock_guard lock(self->mutex_);
      for (auto& [id, entry] : self->sessions_) left.push_back(entry.session);
    }
    if (!left.empty()) logging::get("api")->warn("shutdown grace over; closing {} connection(s) still open", left.size());
    for (auto& session : left) session->force_close();
  });
}

void HttpServer::finish_if_drained(std::unique_lock<std::mutex>& lock) {
  if (!stopping_ || !sessions_.empty() || !on_done_) return;
  auto done = std::move(on_done_);
  on_done_ = nullptr;
  lock.unlock();
  asio::post(grace_timer_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->grace_timer_.cancel();
  });
  asio::post(executor_, std::move(done));
}

}  // namespace silo::api
