// The HostProcess backend on Linux, the twin of hcsshim's job containers: the command runs as a
// host process (host network and file system) under a silo-monitor, in its own process group and
// cgroup (memory, cpu and pids limits), as the requested user, with the rootfs location as its
// working root and CONTAINER_SANDBOX_MOUNT_POINT.
//
// Files: the state directory holds monitor-config.json, monitor-pid.json, monitor.err,
// container.log[.N] and exit.json; execs get the same set in their own state directory.
// Cgroups: <silod's own cgroup>/<cgroup_parent>/<container id>, and
// <silod's own cgroup>/<cgroup_parent>/monitors for the monitors themselves, so the container's
// limits and terminate() never touch its monitor and systemd's stop of silod (with
// KillMode=process, as containerd's unit uses) leaves the containers running.
#pragma once

#include "core/clock.h"
#include "core/engine/backend.h"
#include "core/engine/hostprocess/exit_watcher.h"
#include "core/engine/hostprocess/hostprocess_handle.h"
#include "core/engine/monitor/monitor_config.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace silo::engine::hostprocess {

struct HostProcessOptions {
  // The silo-monitor executable; the composition root passes the one installed next to silod.
  std::filesystem::path monitor_path;
  // The group under silod's own cgroup that holds every container's group.
  std::string cgroup_parent = "silo";
  // How long start() and exec() wait for the monitor to report that the process runs.
  std::chrono::milliseconds start_timeout{30000};
};

// <directory of /proc/self/exe>/silo-monitor: where installs and the build put it next to silod.
std::filesystem::path default_monitor_path();

class HostProcessBackend final : public Backend {
 public:
  explicit HostProcessBackend(HostProcessOptions options);
  ~HostProcessBackend() override;

  Isolation isolation() const override { return Isolation::hostprocess; }
  Availability probe() override;
  void set_exit_sink(ExitSink sink) override;
  Result<BackendHandle> create(const LaunchRequest& request) override;
  Result<BackendHandle> start(const LaunchRequest& request, const BackendHandle& handle) override;
  Result<void> signal(const BackendHandle& handle, int signal) override;
  Result<void> terminate(const BackendHandle& handle) override;
  Result<ContainerStats> stats(const BackendHandle& handle) override;
  Result<void> exec(const BackendHandle& handle, const ExecRequest& request) override;
  Result<void> remove(const BackendHandle& handle) override;
  Result<AdoptOutcome> adopt(const BackendHandle& handle) override;

 private:
  void deliver(const WatchedMonitor& monitor, const ExitStatus& status);
  // Starts silo-monitor for `config` and waits for its ready report: the monitor and the pid of
  // the process it started.
  Result<std::pair<platform::ProcessIdentity, int>> launch_monitor(const monitor::MonitorConfig& config);
  Result<platform::Cgroup> monitors_cgroup();
  void adopt_execs(const HostProcessHandle& handle);

  HostProcessOptions options_;
  SystemClock clock_;
  std::mutex sink_mutex_;
  ExitSink sink_;
  // Last member: its thread calls deliver(), so it must stop before the rest is destroyed.
  std::unique_ptr<ExitWatcher> watcher_;
};

}  // namespace silo::engine::hostprocess
