// The engine's backend contract: what every isolation backend (hostprocess on cgroups or job
// objects, runc, HCS, a VM) implements. core/services owns the policy (state machine, stop timeout
// escalation, events, persistence); a backend owns only the mechanism, and never parses HTTP or
// touches the store.
//
// As in hcsshim, a graceful stop is not a terminate is not a wait is not a release: signal()
// asks the main process to stop, terminate() ends every process of the container at once, exits
// arrive through the ExitSink, and remove() frees what create() made.
//
// Restart safety: a container outlives silod. Each backend keeps what it needs to find a container
// again in an opaque BackendHandle (persisted in the container's record), and adopt() turns that
// handle back into a watched, running container, or into the exit that happened while silod was down.
#pragma once

#include "core/clock.h"
#include "core/errors.h"
#include "core/model/container_spec.h"
#include "core/model/hostprocess_rules.h"
#include "core/model/records.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace silo::engine {

struct Availability {
  bool available = false;
  std::string reason;  // empty when available; otherwise what is missing and what to do
};

// Opaque to everything but the backend that made it (JSON text in practice). Stored in
// ContainerRecord::backend_handle after every create/start.
using BackendHandle = std::string;

// Everything a backend needs for one container, resolved and validated by core/services.
struct LaunchRequest {
  std::string container_id;
  std::string container_name;
  std::string sandbox_id;
  ContainerSpec spec;               // validated
  EffectiveContainerConfig config;  // placement, user, rootfs location, merged annotations
  // DATA_ROOT/containers/<id>: the backend's own files for this container (logs, exit status,
  // bundle). Created by the backend in create(), removed in remove().
  std::filesystem::path state_dir;
  // The hostname the container's sandbox gives it (process isolation on Linux: the uts namespace is
  // the sandbox's): the container's name in a sandbox of its own, the sandbox's name in a shared one.
  std::string hostname;
};

// How a process ended, as recorded by the monitor that watched it.
struct ExitStatus {
  int exit_code = 0;               // the process's code; 128+N when killed by signal N (docker's rule)
  std::optional<int> signal;       // the signal that killed it, if any
  bool oom_killed = false;         // the memory limit's killer ended it
  TimeNs finished_at = 0;
  std::string reason;              // "exited with code 3", "killed by SIGKILL", "out of memory"
};

struct ContainerStats {
  TimeNs read_at = 0;
  std::uint64_t cpu_usage_ns = 0;
  std::uint64_t memory_usage_bytes = 0;
  std::optional<std::uint64_t> memory_limit_bytes;
  std::uint64_t pids_current = 0;
  std::optional<std::uint64_t> pids_limit;
};

struct ExecRequest {
  std::string exec_id;
  std::vector<std::string> command;
  std::vector<std::string> env;
  std::string working_dir;
  std::string user;
  // Where the exec's output and exit status go: DATA_ROOT/containers/<id>/exec/<exec_id>.
  std::filesystem::path state_dir;
};

// Whether a container found after a daemon restart is still running or what ended it meanwhile.
struct AdoptOutcome {
  bool running = false;
  std::optional<ExitStatus> exit;  // set when !running and the exit was recorded by the monitor
  BackendHandle handle;            // possibly refreshed
};

// Receives exits of containers (exec_id empty) and of exec processes. Called from a backend's
// watcher thread; the receiver must not block for long.
using ExitSink = std::function<void(const std::string& container_id, const std::string& exec_id, const ExitStatus&)>;

class Backend {
 public:
  virtual ~Backend() = default;

  virtual Isolation isolation() const = 0;
  // Checks the host (kernel features, binaries, DLLs) each time it is asked.
  virtual Availability probe() = 0;

  // Where exits are reported. Set once by the composition root before any container starts.
  virtual void set_exit_sink(ExitSink sink) = 0;

  // Prepares everything short of running a process (cgroup, folders, user check). Leaves nothing
  // behind when it fails.
  virtual Result<BackendHandle> create(const LaunchRequest& request) = 0;
  // Starts the main process under its monitor; returns the handle to persist.
  virtual Result<BackendHandle> start(const LaunchRequest& request, const BackendHandle& handle) = 0;
  // Delivers `signal` (a POSIX number; Windows backends map SIGTERM/SIGINT to CTRL_SHUTDOWN_EVENT
  // and SIGKILL to terminate) to the main process.
  virtual Result<void> signal(const BackendHandle& handle, int signal) = 0;
  // Ends every process of the container at once.
  virtual Result<void> terminate(const BackendHandle& handle) = 0;
  virtual Result<ContainerStats> stats(const BackendHandle& handle) = 0;
  // Starts an extra process in the running container; its exit arrives through the sink.
  virtual Result<void> exec(const BackendHandle& handle, const ExecRequest& request) = 0;
  // Frees what create() made. The container has exited or never started.
  virtual Result<void> remove(const BackendHandle& handle) = 0;
  // After a daemon restart: watch the container again, or report the exit that happened meanwhile.
  virtual Result<AdoptOutcome> adopt(const BackendHandle& handle) = 0;
};

}  // namespace silo::engine
