// Child processes for the integration tests: one-shot commands whose output is captured (curl,
// siloctl) and the long-running daemon. Every wait is bounded; a child that overstays is killed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace silo::testing {

struct Environment {
  std::map<std::string, std::string> set;  // added or replaced
  std::vector<std::string> unset;          // removed from the inherited environment
};

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal or timed out
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs argv[0] (searched in PATH) to completion, stdin from /dev/null.
ProcessResult run_process(const std::vector<std::string>& argv, const Environment& env = {},
                          std::chrono::seconds limit = std::chrono::seconds(60));

// A running child whose stdin/stdout may be pipes to us (for the validator) and whose stderr goes
// to a file (the daemon's log, shown when a test fails).
class ChildProcess {
 public:
  struct Options {
    std::vector<std::string> argv;
    Environment env;
    bool pipe_stdin = false;
    bool pipe_stdout = false;
    std::string output_file;  // stdout (unless piped) and stderr; empty: /dev/null
  };

  static std::optional<ChildProcess> spawn(const Options& options, std::string* error);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ~ChildProcess();  // kills and reaps a child still running

  pid_t pid() const { return pid_; }
  int stdin_fd() const { return stdin_fd_; }
  int stdout_fd() const { return stdout_fd_; }
  void close_stdin();

  bool running();
  // Sends `signal`, then waits up to `limit` for the exit; nullopt if it did not exit in time.
  // Otherwise the exit code, or 128+signal when a signal ended it.
  std::optional<int> stop(int signal, std::chrono::milliseconds limit);

 private:
  ChildProcess() = default;
  std::optional<int> reap(bool block);

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  std::optional<int> status_;
};

}  // namespace silo::testing
