#include "core/engine/runc/detached_start.h"

#include "core/engine/monitor/monitor.h"
#include "core/platform/process.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace silo::engine::runc {

namespace {

// Reads the helper's one-line report, bounded by `timeout`.
std::string read_report(int fd, std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  std::string line;
  char buffer[512];
  while (line.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return "error unavailable the helper did not report within " + std::to_string(timeout.count()) + " ms";
    pollfd polled{fd, POLLIN, 0};
    if (::poll(&polled, 1, static_cast<int>(left)) < 0 && errno != EINTR) break;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n > 0) line.append(buffer, static_cast<std::size_t>(n));
  }
  return line;
}

}  // namespace

Result<int> start_detached(const std::vector<std::string>& argv, const std::filesystem::path& output_file,
                           std::chrono::milliseconds timeout) {
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) != 0) return errno_error(Errc::resource_exhausted, "pipe", errno);
  auto spawned = platform::spawn_detached(argv, output_file, ready[1]);
  ::close(ready[1]);
  const std::string line = spawned ? read_report(ready[0], timeout) : std::string();
  ::close(ready[0]);
  if (!spawned) return spawned.error();
  const auto report = monitor::decode_ready(line);
  if (!report.ok) return report.error;
  return report.pid;
}

}  // namespace silo::engine::runc
