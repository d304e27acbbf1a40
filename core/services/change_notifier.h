// Who wants to know when a container's record changes: HTTP wait routes (through their writer's
// waker), blocking waits in the services (stop, forced removal) and tests. The services call
// notify(id) after every committed write that changes a container, so a watcher re-reads the
// record and decides itself whether what it waits for has happened (no lost wake-ups: a watcher
// registers first, then reads).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace silo::services {

class ChangeNotifier;

// Registered while alive; destroying it unregisters the callback.
class Watch {
 public:
  Watch() = default;
  Watch(std::weak_ptr<ChangeNotifier> notifier, std::uint64_t token) : notifier_(std::move(notifier)), token_(token) {}
  Watch(Watch&& other) noexcept : notifier_(std::move(other.notifier_)), token_(std::exchange(other.token_, 0)) {}
  Watch& operator=(Watch&& other) noexcept;
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;
  ~Watch() { reset(); }
  void reset();

 private:
  std::weak_ptr<ChangeNotifier> notifier_;
  std::uint64_t token_ = 0;
};

class ChangeNotifier : public std::enable_shared_from_this<ChangeNotifier> {
 public:
  static std::shared_ptr<ChangeNotifier> create() { return std::shared_ptr<ChangeNotifier>(new ChangeNotifier()); }

  // on_change must be cheap and thread-safe (post a wake-up); it runs on the notifying thread.
  Watch watch(const std::string& container_id, std::function<void()> on_change);
  void notify(const std::string& container_id);

 private:
  friend class Watch;
  ChangeNotifier() = default;
  void forget(std::uint64_t token);

  struct Entry {
    std::string container_id;
    std::function<void()> on_change;
  };
  std::mutex mutex_;
  std::uint64_t next_token_ = 1;
  std::map<std::uint64_t, Entry> entries_;
};

// A blocking waiter on one container for service code that runs on a worker thread: wait_for
// returns when notified (or a spurious wake) or after the timeout; the caller re-checks the record.
class BlockingWatch {
 public:
  BlockingWatch(ChangeNotifier& notifier, const std::string& container_id);
  // True when a change was signalled since the last call.
  bool wait_for(std::chrono::milliseconds timeout);

 private:
  struct Shared {
    std::mutex mutex;
    std::condition_variable cv;
    bool changed = false;
  };
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  Watch watch_;
};

}  // namespace silo::services
