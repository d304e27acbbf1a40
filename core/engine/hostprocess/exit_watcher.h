// Watches monitors from silod: each monitor is watched through a pidfd (it is not our child, it
// may even predate this silod), and when it ends its exit status file says how the process ended.
#pragma once

#include "core/engine/backend.h"
#include "core/platform/process.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace silo::engine::hostprocess {

struct WatchedMonitor {
  std::string container_id;
  std::string exec_id;  // empty for the container's main process
  std::filesystem::path state_dir;
  platform::ProcessIdentity monitor;
};

class ExitWatcher {
 public:
  using OnExit = std::function<void(const WatchedMonitor&, const ExitStatus&)>;

  explicit ExitWatcher(OnExit on_exit);
  // Stops watching; the monitors keep running (that is what restart safety needs).
  ~ExitWatcher();
  ExitWatcher(const ExitWatcher&) = delete;
  ExitWatcher& operator=(const ExitWatcher&) = delete;

  // Reports the exit from the watcher thread, also when the monitor has already ended.
  Result<void> watch(const WatchedMonitor& monitor);
  // No report for this container's monitors any more (the container is being removed).
  void forget(const std::string& container_id);

 private:
  void run();
  void report(const WatchedMonitor& monitor);
  void wake();

  OnExit on_exit_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::mutex mutex_;
  std::uint64_t next_key_ = 1;
  std::map<std::uint64_t, std::pair<WatchedMonitor, int>> watched_;  // key -> monitor, pidfd
  std::vector<WatchedMonitor> ended_;                                 // ended before watch() could see them
  bool stopping_ = false;
  std::thread thread_;
};

// The exit a monitor recorded, or the one silo reports when it recorded none.
ExitStatus exit_of(const std::filesystem::path& state_dir);

}  // namespace silo::engine::hostprocess
