// Starting the process a monitor watches, and pumping its output until it ends. The POSIX body
// forks, places the child in its own process group and cgroup, binds the volume mounts in a
// private mount namespace, switches to the container's user and execs; the Windows body (later)
// creates the process in the container's job object with CreateProcessAsUser.
#pragma once

#include "core/errors.h"
#include "core/platform/cgroup.h"
#include "core/platform/process.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace silo::platform {

struct BindMount {
  std::string source;  // host path
  std::string target;  // host path under the rootfs location where the source appears
  bool read_only = false;
};

struct ProcessLaunch {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // the complete environment, "K=V"
  std::string working_dir;
  unsigned uid = 0;
  unsigned gid = 0;
  std::vector<unsigned> groups;
  std::optional<Cgroup> cgroup;                  // joined before exec, so no instruction runs outside it
  std::vector<BindMount> mounts;                 // applied in a new private mount namespace
  std::optional<ProcessIdentity> mount_ns_of;    // or: join this process's mount namespace (execs)
};

struct ChildProcess {
  int pid = 0;  // also the process group id
  int stdout_fd = -1;
  int stderr_fd = -1;
};

struct ProcessEnd {
  int exit_code = 0;          // 128+N when killed by signal N
  std::optional<int> signal;  // the signal that killed it
};

// The child runs, or the step that failed ("exec \"nosuch\": No such file or directory") with the
// Errc that fits it. Nothing is left running on failure.
Result<ChildProcess> launch_process(const ProcessLaunch& launch);

// Reads the child's output into `on_output(stream, bytes)` until it exits; then calls `on_exit`
// (where the caller ends leftovers) and keeps reading until both pipes close or `drain_limit`
// passes (a background process holding a pipe must not keep the monitor forever).
ProcessEnd pump_until_exit(const ChildProcess& child,
                           const std::function<void(std::string_view stream, std::string_view bytes)>& on_output,
                           const std::function<void()>& on_exit, std::chrono::milliseconds drain_limit);

}  // namespace silo::platform
