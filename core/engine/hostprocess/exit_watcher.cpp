#include "core/engine/hostprocess/exit_watcher.h"

#include "core/engine/monitor/monitor_files.h"
#include "core/logging.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

namespace silo::engine::hostprocess {

ExitStatus exit_of(const std::filesystem::path& state_dir) {
  auto recorded = monitor::read_exit_status(state_dir);
  if (recorded && recorded->has_value()) return **recorded;
  ExitStatus lost;
  lost.exit_code = -1;
  lost.reason = "the monitor ended without recording an exit (see " +
                (state_dir / monitor::kMonitorOutputFileName).string() + ")";
  return lost;
}

ExitWatcher::ExitWatcher(OnExit on_exit) : on_exit_(std::move(on_exit)) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = 0;  // key 0 is the wake-up
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
  thread_ = std::thread([this] { run(); });
}

ExitWatcher::~ExitWatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake();
  thread_.join();
  for (auto& [key, entry] : watched_) ::close(entry.second);
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

void ExitWatcher::wake() {
  const std::uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
}

Result<void> ExitWatcher::watch(const WatchedMonitor& monitor) {
  auto pidfd = platform::open_process_watch(monitor.monitor);
  std::lock_guard lock(mutex_);
  if (!pidfd) {
    if (pidfd.error().code != Errc::not_found) return pidfd.error();
    ended_.push_back(monitor);
    wake();
    return {};
  }
  const std::uint64_t key = next_key_++;
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = key;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, *pidfd, &event) != 0) {
    const int err = errno;
    ::close(*pidfd);
    return errno_error(Errc::internal, "watch monitor " + std::to_string(monitor.monitor.pid), err);
  }
  watched_.emplace(key, std::make_pair(monitor, *pidfd));
  return {};
}

void ExitWatcher::forget(const std::string& container_id) {
  std::lock_guard lock(mutex_);
  for (auto it = watched_.begin(); it != watched_.end();) {
    if (it->second.first.container_id != container_id) {
      ++it;
      continue;
    }
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, it->second.second, nullptr);
    ::close(it->second.second);
    it = watched_.erase(it);
  }
  std::erase_if(ended_, [&](const WatchedMonitor& m) { return m.container_id == container_id; });
}

void ExitWatcher::report(const WatchedMonitor& monitor) {
  try {
    on_exit_(monitor, exit_of(monitor.state_dir));
  } catch (const std::exception& e) {
    // The sink belongs to another module; its failure must not end the watcher thread.
    logging::get("engine")->error("container {}: exit report failed: {}", monitor.container_id, e.what());
  }
}

void ExitWatcher::run() {
  epoll_event events[16];
  for (;;) {
    const int count = ::epoll_wait(epoll_fd_, events, 16, -1);
    std::vector<WatchedMonitor> ended;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      for (int i = 0; i < count; ++i) {
        const std::uint64_t key = events[i].data.u64;
        if (key == 0) {
          std::uint64_t drained = 0;
          (void)!::read(wake_fd_, &drained, sizeof drained);
          continue;
        }
        auto found = watched_.find(key);
        if (found == watched_.end()) continue;
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, found->second.second, nullptr);
        ::close(found->second.second);
        ended.push_back(found->second.first);
        watched_.erase(found);
      }
      ended.insert(ended.end(), ended_.begin(), ended_.end());
      ended_.clear();
    }
    for (const auto& monitor : ended) report(monitor);
  }
}

}  // namespace silo::engine::hostprocess
