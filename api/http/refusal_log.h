// Logs refused connections once per peer and interval instead of once per connection, so a flood
// of refused connections costs a log line every few seconds rather than filling the disk, and the
// line says how many were refused meanwhile.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace silo::api {

class RefusalLog {
 public:
  using Clock = std::chrono::steady_clock;
  // At most `max_peers` peers are remembered; past that, refusals of new peers share one entry.
  explicit RefusalLog(std::chrono::milliseconds interval = std::chrono::seconds(10), std::size_t max_peers = 1024)
      : interval_(interval), max_peers_(max_peers) {}

  // Counts a refusal of `peer` for `reason` and logs it when this peer's interval has passed,
  // with the number refused since its last line.
  void refused(const std::string& peer, const std::string& reason);

  // The decision behind refused(), without logging: how many refusals the line covers (this one
  // included), or 0 when no line is due. Public for tests.
  std::size_t due(const std::string& peer, Clock::time_point now);

 private:
  struct Entry {
    Clock::time_point last_logged;
    std::size_t unlogged = 0;
  };
  std::size_t due_locked(const std::string& peer, Clock::time_point now);  // under mutex_

  std::chrono::milliseconds interval_;
  std::size_t max_peers_;
  std::mutex mutex_;
  std::map<std::string, Entry> peers_;
};

}  // namespace silo::api
