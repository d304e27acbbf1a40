// A HostProcess backend on real cgroups with a private cgroup parent, temporary folders, and an
// exit sink the tests can wait on (bounded).
#pragma once

#include "core/engine/hostprocess/hostprocess_backend.h"
#include "core/logs/log_reader.h"
#include "core/platform/cgroup.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace silo::engine::hostprocess::testing {

struct RecordedExit {
  std::string container_id;
  std::string exec_id;
  ExitStatus status;
};

class ExitRecorder {
 public:
  ExitSink sink();
  // The exit of (container, exec), waiting at most `seconds`.
  std::optional<ExitStatus> wait(const std::string& container_id, const std::string& exec_id = "", int seconds = 60);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::pair<std::string, std::string>, ExitStatus> exits_;
};

class HostProcessTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::unique_ptr<HostProcessBackend> make_backend();
  LaunchRequest request(std::vector<std::string> command);
  // create + start; fails the test on error.
  BackendHandle run(const LaunchRequest& request);
  std::string log_text(const std::filesystem::path& state_dir, const char* stream = nullptr);
  // A shell loop that waits until the file <rootfs>/go exists, then prints "done" and exits 7.
  static std::vector<std::string> wait_for_go_command();
  static void release(const LaunchRequest& request);

  std::filesystem::path temp_;
  std::string cgroup_parent_;
  ExitRecorder exits_;
  std::unique_ptr<HostProcessBackend> backend_;
  std::vector<std::pair<BackendHandle, std::string>> created_;  // handle, container id
  int counter_ = 0;
};

}  // namespace silo::engine::hostprocess::testing
