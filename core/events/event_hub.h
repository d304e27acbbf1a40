// EventHub: where committed events are published, and where /v1/events followers wait for the
// ones after the history they already read.
//
// Followers must never miss an event that commits between "read history from the store" and
// "start listening". So a follower subscribes FIRST, then reads history, then drains its
// subscription and drops every event whose id it already sent (ids are strictly increasing).
//
// Each subscription has a bounded queue. A follower that falls behind by more than its capacity
// is marked overflowed and must end its stream: memory stays bounded no matter how slow a client
// reads. The hub itself never blocks a publisher on a follower.
#pragma once

#include "core/model/records.h"

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace silo::events {

class EventHub;

class Subscription {
 public:
  enum class State { open, overflowed, closed };

  // Called (from the publisher's thread, without hub locks held by the caller's expectations)
  // whenever new events are queued or the state changes. Must be cheap and thread-safe, e.g. post
  // a wake-up to the follower's executor.
  void set_notify(std::function<void()> notify);

  // Takes every queued event, in id order.
  std::vector<EventRecord> take();
  State state() const;
  std::size_t capacity() const noexcept { return capacity_; }

  // Stops delivery to this subscription; the hub forgets it.
  void cancel();

  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

 private:
  friend class EventHub;
  Subscription(std::weak_ptr<EventHub> hub, std::size_t capacity) : hub_(std::move(hub)), capacity_(capacity) {}
  // Returns the notify callback to run outside the lock, or nothing.
  std::function<void()> deliver(const std::vector<EventRecord>& events);
  std::function<void()> close();

  std::weak_ptr<EventHub> hub_;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<EventRecord> queue_;
  State state_ = State::open;
  std::function<void()> notify_;
};

class EventHub : public std::enable_shared_from_this<EventHub> {
 public:
  static constexpr std::size_t kDefaultCapacity = 1024;

  static std::shared_ptr<EventHub> create() { return std::shared_ptr<EventHub>(new EventHub()); }

  // After this returns, every event published later reaches the subscription (until it overflows
  // or is cancelled). Subscribing to a closed hub yields a closed subscription.
  std::shared_ptr<Subscription> subscribe(std::size_t capacity = kDefaultCapacity);

  // Events in commit order, as MetadataStore::write returned them.
  void publish(const std::vector<EventRecord>& events);

  // Daemon shutdown: every subscription becomes closed and followers end their streams.
  void close();

  std::size_t subscriber_count() const;

 private:
  friend class Subscription;
  EventHub() = default;
  void forget(const Subscription* subscription);

  mutable std::mutex mutex_;
  // The raw pointer identifies an entry without locking the weak_ptr, so forgetting one never
  // creates (and then destroys) a last owner while the hub lock is held.
  struct Entry {
    const Subscription* key;
    std::weak_ptr<Subscription> subscription;
  };
  std::vector<Entry> subscriptions_;
  bool closed_ = false;
};

}  // namespace silo::events
