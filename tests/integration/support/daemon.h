// A real silod for one test: its own data root and unix socket in a fresh temporary folder, its log
// in that folder, started from the binary the build produced and stopped with SIGTERM.
#pragma once

#include "tests/integration/support/process.h"

#include <optional>
#include <string>
#include <vector>

namespace silo::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class Silod {
 public:
  explicit Silod(const std::string& dir);

  // More flags for silod, given after the ones above (set before start()).
  std::vector<std::string> extra_args;

  // Starts silod and waits (bounded) until GET /_ping answers; false with *why otherwise.
  bool start(std::string* why);
  // SIGTERM, then the exit code if it exited within the bound.
  std::optional<int> stop();
  // SIGKILL, as a crash would end it; true once it is gone. start() may be called again after.
  bool kill_hard();
  // Sends `sig` (SIGHUP to reload) to the running silod.
  void signal(int sig);

  const std::string& socket_path() const { return socket_path_; }
  std::string host() const { return "unix://" + socket_path_; }
  const std::string& data_root() const { return data_root_; }
  std::string log() const;

 private:
  std::string data_root_;
  std::string socket_path_;
  std::string log_path_;
  std::optional<ChildProcess> process_;
};

}  // namespace silo::testing
