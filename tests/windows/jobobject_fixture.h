// A JobObjectBackend over a temporary folder, with an exit sink the tests wait on (bounded).
#pragma once

#include "core/engine/jobobject/jobobject_backend.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace silo::engine::jobobject::testing {

class ExitRecorder {
 public:
  ExitSink sink() {
    return [this](const std::string& id, const std::string& exec_id, const ExitStatus& status) {
      std::lock_guard lock(mutex_);
      exits_[id + "/" + exec_id] = status;
      changed_.notify_all();
    };
  }
  // The exit of container `id` (exec `exec_id`), waiting at most `limit`.
  std::optional<ExitStatus> wait(const std::string& id, const std::string& exec_id = "",
                                 std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock lock(mutex_);
    const std::string key = id + "/" + exec_id;
    changed_.wait_for(lock, limit, [&] { return exits_.count(key) != 0; });
    auto found = exits_.find(key);
    if (found == exits_.end()) return std::nullopt;
    return found->second;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, ExitStatus> exits_;
};

class JobObjectTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A request for container `id` running `command` as silod's own account, rootfs under the
  // temporary folder.
  LaunchRequest request(const std::string& id, std::vector<std::string> command) const;
  // create + start; fails the test on error.
  BackendHandle run(const LaunchRequest& request);
  std::string log_text(const std::filesystem::path& state_dir) const;
  // What the monitor wrote to monitor.err (its diagnostics).
  std::string monitor_output(const std::filesystem::path& state_dir) const;

  std::filesystem::path root_;
  ExitRecorder exits_;
  std::unique_ptr<JobObjectBackend> backend_;
  std::vector<BackendHandle> handles_;  // terminated and removed in TearDown
};

}  // namespace silo::engine::jobobject::testing
