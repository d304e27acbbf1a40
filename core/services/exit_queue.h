// Hands exits from a backend's watcher thread to one worker thread that records them, so the
// watcher never waits on the store or on a container's lock.
#pragma once

#include "core/engine/backend.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace silo::services {

class ExitQueue {
 public:
  using Handler = std::function<void(const std::string& container_id, const std::string& exec_id,
                                     const engine::ExitStatus& status)>;

  explicit ExitQueue(Handler handler);
  ~ExitQueue();  // records what is queued, then stops
  ExitQueue(const ExitQueue&) = delete;
  ExitQueue& operator=(const ExitQueue&) = delete;

  void push(std::string container_id, std::string exec_id, engine::ExitStatus status);

 private:
  struct Item {
    std::string container_id;
    std::string exec_id;
    engine::ExitStatus status;
  };
  void run();

  Handler handler_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Item> items_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace silo::services
