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

bool HttpServer::admit(std::shared_ptr<SessionControl> session, std::uint64_t& id) {
  std::lock_guard lock(mutex_);
  if (stopping_ || sessions_.size() >= limits_.max_connections) return false;
  id = next_id_++;
  sessions_.emplace(id, session);
  return true;
}

void HttpServer::session_ended(std::uint64_t id) {
  std::shared_ptr<SessionControl> ending;  // released after the lock: its destructor may be long
  std::unique_lock lock(mutex_);
  if (auto found = sessions_.find(id); found != sessions_.end()) {
    ending = std::move(found->second);
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
    for (auto& [id, session] : sessions_) live.push_back(session);
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
      for (auto& [id, session] : self->sessions_) left.push_back(session);
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
