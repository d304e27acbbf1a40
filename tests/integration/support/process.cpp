#include "tests/integration/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace silo::testing {
namespace {

std::vector<std::string> build_environment(const Environment& env) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    bool drop = env.set.contains(name);
    for (const auto& u : env.unset) drop = drop || u == name;
    if (!drop) out.push_back(entry);
  }
  for (const auto& [name, value] : env.set) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Drains whichever of the pipes has data; returns false when both are closed.
bool pump(std::array<int, 2>& fds, std::array<std::string*, 2> sinks, int timeout_ms) {
  std::array<pollfd, 2> polls{};
  int open = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    polls[i] = pollfd{fds[i], POLLIN, 0};
    if (fds[i] >= 0) ++open;
  }
  if (open == 0) return false;
  if (::poll(polls.data(), polls.size(), timeout_ms) <= 0) return true;
  for (std::size_t i = 0; i < 2; ++i) {
    if (fds[i] < 0 || polls[i].revents == 0) continue;
    std::array<char, 8192> buf{};
    const ssize_t n = ::read(fds[i], buf.data(), buf.size());
    if (n > 0) {
      sinks[i]->append(buf.data(), static_cast<std::size_t>(n));
    } else {
      ::close(fds[i]);
      fds[i] = -1;
    }
  }
  return true;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const Environment& env, std::chrono::seconds limit) {
  ProcessResult result;
  std::array<int, 2> out_pipe{};
  std::array<int, 2> err_pipe{};
  if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0 || ::pipe2(err_pipe.data(), O_CLOEXEC) != 0) {
    result.err = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  auto args = argv;
  auto envs = build_environment(env);
  auto c_args = c_strings(args);
  auto c_envs = c_strings(envs);
  pid_t pid = -1;
  const int spawned = ::posix_spawnp(&pid, c_args[0], &actions, nullptr, c_args.data(), c_envs.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  std::array<int, 2> fds = {out_pipe[0], err_pipe[0]};
  if (spawned != 0) {
    for (int fd : fds) ::close(fd);
    result.err = "spawn " + argv[0] + ": " + std::strerror(spawned);
    return result;
  }
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (pump(fds, {&result.out, &result.err}, 100)) {
    if (std::chrono::steady_clock::now() > deadline) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      for (int& fd : fds) {
        if (fd >= 0) ::close(fd);
        fd = -1;
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = result.timed_out ? -1 : decode_status(status);
  return result;
}

std::optional<ChildProcess> ChildProcess::spawn(const Options& options, std::string* error) {
  std::array<int, 2> in_pipe = {-1, -1};
  std::array<int, 2> out_pipe = {-1, -1};
  if ((options.pipe_stdin && ::pipe2(in_pipe.data(), O_CLOEXEC) != 0) ||
      (options.pipe_stdout && ::pipe2(out_pipe.data(), O_CLOEXEC) != 0)) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return std::nullopt;
  }
  const std::string log = options.output_file.empty() ? "/dev/null" : options.output_file;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (options.pipe_stdin) {
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (options.pipe_stdout) {
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  } else {
    posix_spawn_file_actions_adddup2(&actions, 2, 1);
  }
  auto args = options.argv;
  auto envs = build_environment(options.env);
  auto c_args = c_strings(args);
  auto c_envs = c_strings(envs);
  ChildProcess child;
  const int spawned = ::posix_spawnp(&child.pid_, c_args[0], &actions, nullptr, c_args.data(), c_envs.data());
  posix_spawn_file_actions_destroy(&actions);
  if (in_pipe[0] >= 0) ::close(in_pipe[0]);
  if (out_pipe[1] >= 0) ::close(out_pipe[1]);
  child.stdin_fd_ = in_pipe[1];
  child.stdout_fd_ = out_pipe[0];
  if (spawned != 0) {
    *error = "spawn " + options.argv[0] + ": " + std::strerror(spawned);
    child.pid_ = -1;
    return std::nullopt;
  }
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_), stdin_fd_(other.stdin_fd_), stdout_fd_(other.stdout_fd_), status_(other.status_) {
  other.pid_ = -1;
  other.stdin_fd_ = -1;
  other.stdout_fd_ = -1;
}

ChildProcess::~ChildProcess() {
  close_stdin();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    reap(true);
  }
}

void ChildProcess::close_stdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

std::optional<int> ChildProcess::reap(bool block) {
  if (status_ || pid_ <= 0) return status_;
  int status = 0;
  const pid_t got = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (got == pid_) status_ = decode_status(status);
  return status_;
}

bool ChildProcess::running() { return pid_ > 0 && !reap(false); }

std::optional<int> ChildProcess::stop(int signal, std::chrono::milliseconds limit) {
  if (!running()) return status_;
  ::kill(pid_, signal);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (reap(false)) return status_;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

}  // namespace silo::testing
