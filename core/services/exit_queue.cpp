#include "core/services/exit_queue.h"

namespace silo::services {

ExitQueue::ExitQueue(Handler handler) : handler_(std::move(handler)), thread_([this] { run(); }) {}

ExitQueue::~ExitQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ExitQueue::push(std::string container_id, std::string exec_id, engine::ExitStatus status) {
  {
    std::lock_guard lock(mutex_);
    items_.push_back({std::move(container_id), std::move(exec_id), std::move(status)});
  }
  cv_.notify_one();
}

void ExitQueue::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !items_.empty(); });
    if (items_.empty()) return;  // stopping and drained
    Item item = std::move(items_.front());
    items_.pop_front();
    lock.unlock();
    handler_(item.container_id, item.exec_id, item.status);
    lock.lock();
  }
}

}  // namespace silo::services
