#include "core/events/event_hub.h"

#include "core/logging.h"

#include <algorithm>

namespace silo::events {

void Subscription::set_notify(std::function<void()> notify) {
  std::function<void()> run_now;
  {
    std::lock_guard lock(mutex_);
    notify_ = std::move(notify);
    // Events or a state change may have arrived before the follower installed its callback.
    if (!queue_.empty() || state_ != State::open) run_now = notify_;
  }
  if (run_now) run_now();
}

std::vector<EventRecord> Subscription::take() {
  std::lock_guard lock(mutex_);
  std::vector<EventRecord> out(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  queue_.clear();
  return out;
}

Subscription::State Subscription::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::function<void()> Subscription::deliver(const std::vector<EventRecord>& events) {
  std::lock_guard lock(mutex_);
  if (state_ != State::open) return {};
  if (queue_.size() + events.size() > capacity_) {
    // Dropping silently would make the follower's stream lie; ending it is honest.
    state_ = State::overflowed;
    queue_.clear();
    logging::get("events")->warn("an events follower fell more than {} events behind; disconnecting it", capacity_);
    return notify_;
  }
  queue_.insert(queue_.end(), events.begin(), events.end());
  return notify_;
}

std::function<void()> Subscription::close() {
  std::lock_guard lock(mutex_);
  if (state_ == State::open) state_ = State::closed;
  return notify_;
}

void Subscription::cancel() {
  if (auto hub = hub_.lock()) hub->forget(this);
  std::lock_guard lock(mutex_);
  state_ = State::closed;
  notify_ = nullptr;
  queue_.clear();
}

Subscription::~Subscription() {
  if (auto hub = hub_.lock()) hub->forget(this);
}

std::shared_ptr<Subscription> EventHub::subscribe(std::size_t capacity) {
  auto subscription = std::shared_ptr<Subscription>(new Subscription(weak_from_this(), std::max<std::size_t>(capacity, 1)));
  std::lock_guard lock(mutex_);
  if (closed_) {
    subscription->state_ = Subscription::State::closed;
    return subscription;
  }
  subscriptions_.push_back({subscription.get(), subscription});
  return subscription;
}

void EventHub::publish(const std::vector<EventRecord>& events) {
  if (events.empty()) return;
  // Owners taken here are released only after the lock, so no subscription is destroyed under it.
  std::vector<std::shared_ptr<Subscription>> alive;
  std::vector<std::function<void()>> notifications;
  {
    // Delivering under the hub lock keeps every follower's queue in commit order even when two
    // writers publish concurrently.
    std::lock_guard lock(mutex_);
    for (const auto& entry : subscriptions_) {
      if (auto subscription = entry.subscription.lock()) {
        if (auto notify = subscription->deliver(events)) notifications.push_back(std::move(notify));
        alive.push_back(std::move(subscription));
      }
    }
  }
  for (auto& notify : notifications) notify();
}

void EventHub::close() {
  std::vector<std::shared_ptr<Subscription>> alive;
  std::vector<std::function<void()>> notifications;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (const auto& entry : subscriptions_) {
      if (auto subscription = entry.subscription.lock()) {
        if (auto notify = subscription->close()) notifications.push_back(std::move(notify));
        alive.push_back(std::move(subscription));
      }
    }
    subscriptions_.clear();
  }
  for (auto& notify : notifications) notify();
}

std::size_t EventHub::subscriber_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(subscriptions_.begin(), subscriptions_.end(),
                                                [](const Entry& entry) { return !entry.subscription.expired(); }));
}

void EventHub::forget(const Subscription* subscription) {
  std::lock_guard lock(mutex_);
  std::erase_if(subscriptions_, [&](const Entry& entry) { return entry.key == subscription || entry.subscription.expired(); });
}

}  // namespace silo::events
