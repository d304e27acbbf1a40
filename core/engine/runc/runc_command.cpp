#include "core/engine/runc/runc_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

extern char** environ;

namespace silo::engine::runc {

namespace {

using SteadyClock = std::chrono::steady_clock;

struct Pipes {
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  ~Pipes() {
    for (int fd : {out[0], out[1], err[0], err[1]}) {
      if (fd >= 0) ::close(fd);
    }
  }
};

// Reads both pipes until they close or the deadline passes; false on timeout.
bool drain(int out_fd, int err_fd, CommandOutput& output, SteadyClock::time_point deadline) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_count = 2;
  char buffer[4096];
  while (open_count > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
    if (left <= 0) return false;
    if (::poll(fds, 2, static_cast<int>(left)) < 0 && errno != EINTR) return false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? output.out : output.err).append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  return true;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

Result<CommandOutput> run_command(const std::vector<std::string>& argv, std::chrono::milliseconds limit) {
  if (argv.empty()) return make_error(Errc::invalid_argument, "empty command");
  Pipes pipes;
  if (::pipe2(pipes.out, O_CLOEXEC) != 0 || ::pipe2(pipes.err, O_CLOEXEC) != 0) {
    return errno_error(Errc::resource_exhausted, "pipe", errno);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipes.out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipes.err[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return errno_error(Errc::unavailable, "run " + argv[0], spawned);
  ::close(pipes.out[1]);
  ::close(pipes.err[1]);
  pipes.out[1] = pipes.err[1] = -1;
  CommandOutput output;
  const bool finished = drain(pipes.out[0], pipes.err[0], output, SteadyClock::now() + limit);
  if (!finished) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!finished) {
    return make_error(Errc::unavailable, argv[0] + " " + (argv.size() > 1 ? argv[1] : "") + " did not finish within " +
                                             std::to_string(limit.count()) + " ms");
  }
  output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

std::vector<std::string> runc_argv(const RuncInvocation& runc, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {runc.binary.string(), "--root", runc.root.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

Result<std::string> run_runc(const RuncInvocation& runc, const std::vector<std::string>& args) {
  auto output = run_command(runc_argv(runc, args));
  if (!output) return output.error();
  if (output->exit_code == 0) return std::move(output->out);
  const std::string message = trimmed(output->err.empty() ? output->out : output->err);
  const bool missing = message.find("does not exist") != std::string::npos || message.find("not exist") != std::string::npos;
  return make_error(missing ? Errc::not_found : Errc::internal,
                    "runc " + (args.empty() ? std::string() : args.front()) + ": " + message);
}

}  // namespace silo::engine::runc
