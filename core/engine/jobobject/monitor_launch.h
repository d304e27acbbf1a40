// Starting the Windows silo-monitor from silod and watching it. The monitor is started outside
// silod's own job where Windows allows (CREATE_BREAKAWAY_FROM_JOB), in a console of its own with no
// window, with only the ready pipe, its output file and the account token inherited.
#pragma once

#include "core/engine/backend.h"
#include "core/platform/process.h"
#include "core/platform/windows/unique_handle.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace silo::engine::jobobject {

struct LaunchedMonitor {
  platform::ProcessIdentity monitor;
  int main_pid = 0;
};

// Runs `monitor_path <config> <ready> <token>` and waits, at most `timeout`, for its ready report.
Result<LaunchedMonitor> launch_monitor(const std::filesystem::path& monitor_path, const std::filesystem::path& config_file,
                                       const std::filesystem::path& state_dir, HANDLE token, std::chrono::milliseconds timeout);

// The exit the monitor recorded in `state_dir`, or the one silo reports when it recorded none.
ExitStatus recorded_exit(const std::filesystem::path& state_dir);

struct WatchedMonitor {
  std::string container_id;
  std::string exec_id;  // empty for the container's main process
  std::filesystem::path state_dir;
  platform::ProcessIdentity monitor;
};

// One waiting thread per watched monitor (a container has one, plus one per running exec): it
// waits on the monitor's process handle and reports the recorded exit.
class MonitorWatcher {
 public:
  using OnExit = std::function<void(const WatchedMonitor&, const ExitStatus&)>;

  explicit MonitorWatcher(OnExit on_exit);
  // Stops watching; the monitors keep running (that is what restart safety needs).
  ~MonitorWatcher();
  MonitorWatcher(const MonitorWatcher&) = delete;
  MonitorWatcher& operator=(const MonitorWatcher&) = delete;

  // Reports the exit from a watcher thread, also when the monitor has ended already.
  Result<void> watch(const WatchedMonitor& monitor);
  // No report for this container's monitors any more (it is being removed).
  void forget(const std::string& container_id);

 private:
  struct Entry {
    WatchedMonitor monitor;
    bool forgotten = false;
  };
  void wait_for(std::shared_ptr<Entry> entry, platform::windows::UniqueHandle process);

  OnExit on_exit_;
  platform::windows::UniqueHandle stop_;  // manual-reset: set once, in the destructor
  std::mutex mutex_;
  std::vector<std::shared_ptr<Entry>> entries_;
  std::vector<std::thread> threads_;
};

}  // namespace silo::engine::jobobject
