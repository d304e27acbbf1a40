// One mutex per container id, so operations on the same container run one at a time while
// different containers proceed in parallel. Entries stay until forget() (after removal).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace silo::services {

class ContainerLocks {
 public:
  std::shared_ptr<std::mutex> of(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto& slot = locks_[id];
    if (!slot) slot = std::make_shared<std::mutex>();
    return slot;
  }
  void forget(const std::string& id) {
    std::lock_guard lock(mutex_);
    locks_.erase(id);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<std::mutex>> locks_;
};

}  // namespace silo::services
