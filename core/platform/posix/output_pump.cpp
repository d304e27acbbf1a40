// The monitor's wait: poll the child's stdout and stderr pipes and a pidfd of the child at once.
#include "core/platform/container_process.h"

#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace silo::platform {

namespace {

ProcessEnd decode_status(int status) {
  if (WIFSIGNALED(status)) return ProcessEnd{128 + WTERMSIG(status), WTERMSIG(status)};
  return ProcessEnd{WEXITSTATUS(status), std::nullopt};
}

}  // namespace

ProcessEnd pump_until_exit(const ChildProcess& child,
                           const std::function<void(std::string_view stream, std::string_view bytes)>& on_output,
                           const std::function<void()>& on_exit, std::chrono::milliseconds drain_limit) {
  using Clock = std::chrono::steady_clock;
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child.pid, 0));
  int fds[2] = {child.stdout_fd, child.stderr_fd};
  const char* names[2] = {"stdout", "stderr"};
  std::optional<ProcessEnd> end;
  Clock::time_point drain_deadline{};
  char buffer[65536];
  while (fds[0] >= 0 || fds[1] >= 0 || !end) {
    pollfd polled[3] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}, {end ? -1 : pidfd, POLLIN, 0}};
    int timeout_ms = pidfd < 0 && !end ? 100 : -1;  // without a pidfd, check the child every 100 ms
    if (end) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(drain_deadline - Clock::now()).count();
      if (left <= 0) break;
      timeout_ms = static_cast<int>(left);
    }
    if (::poll(polled, 3, timeout_ms) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i] < 0 || polled[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i], buffer, sizeof buffer);
      if (n > 0) {
        on_output(names[i], std::string_view(buffer, static_cast<std::size_t>(n)));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i]);
        fds[i] = -1;
      }
    }
    if (!end) {
      int status = 0;
      if (::waitpid(child.pid, &status, WNOHANG) == child.pid) {
        end = decode_status(status);
        on_exit();
        drain_deadline = Clock::now() + drain_limit;
      }
    }
  }
  for (int fd : fds) {
    if (fd >= 0) ::close(fd);
  }
  if (pidfd >= 0) ::close(pidfd);
  if (!end) {
    int status = 0;
    while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
    }
    end = decode_status(status);
    on_exit();
  }
  return *end;
}

}  // namespace silo::platform
