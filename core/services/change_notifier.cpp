#include "core/services/change_notifier.h"

#include <vector>

namespace silo::services {

Watch& Watch::operator=(Watch&& other) noexcept {
  if (this != &other) {
    reset();
    notifier_ = std::move(other.notifier_);
    token_ = std::exchange(other.token_, 0);
  }
  return *this;
}

void Watch::reset() {
  if (token_ == 0) return;
  if (auto notifier = notifier_.lock()) notifier->forget(token_);
  token_ = 0;
}

Watch ChangeNotifier::watch(const std::string& container_id, std::function<void()> on_change) {
  std::lock_guard lock(mutex_);
  auto token = next_token_++;
  entries_.emplace(token, Entry{container_id, std::move(on_change)});
  return Watch(weak_from_this(), token);
}

void ChangeNotifier::notify(const std::string& container_id) {
  std::vector<std::function<void()>> to_call;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [token, entry] : entries_)
      if (entry.container_id == container_id) to_call.push_back(entry.on_change);
  }
  // Outside the lock: a callback may register or drop watches.
  for (auto& call : to_call) call();
}

void ChangeNotifier::forget(std::uint64_t token) {
  std::lock_guard lock(mutex_);
  entries_.erase(token);
}

BlockingWatch::BlockingWatch(ChangeNotifier& notifier, const std::string& container_id) {
  std::weak_ptr<Shared> weak = shared_;
  watch_ = notifier.watch(container_id, [weak] {
    if (auto shared = weak.lock()) {
      std::lock_guard lock(shared->mutex);
      shared->changed = true;
      shared->cv.notify_all();
    }
  });
}

bool BlockingWatch::wait_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(shared_->mutex);
  bool changed = shared_->cv.wait_for(lock, timeout, [this] { return shared_->changed; });
  shared_->changed = false;
  return changed;
}

}  // namespace silo::services
