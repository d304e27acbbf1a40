// Process isolation on Linux through runc: each container is an OCI bundle under its state folder
// (config.json from oci_spec.h, the root an overlay of its layer chain, overlay_mount.h) that
// silo-monitor runs with `runc run --keep` in the foreground, so the monitor owns the container's
// stdio (the same JSON-lines log as HostProcess containers), waits for it and records exit.json,
// and the container outlives silod. Pid and mount namespaces are the container's own; network,
// ipc and uts belong to the sandbox's holder process (sandbox_holders.h), as in a Kubernetes pod.
//
// runc's own state lives under DATA_ROOT/runc/state (runc --root), never the host's /run/runc,
// so silo's containers do not collide with other runc users. Cgroups: <silod's cgroup>/silo/<id>
// (linux.cgroupsPath), beside the HostProcess containers', with the limits runc writes.
#pragma once

#include "core/clock.h"
#include "core/engine/backend.h"
#include "core/engine/hostprocess/exit_watcher.h"
#include "core/engine/runc/runc_command.h"
#include "core/engine/runc/runc_handle.h"
#include "core/engine/runc/sandbox_holders.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace silo::engine::runc {

// A layer id to its folder chain, the layer's own folder first, down to the base. The composition
// root answers from the layer store; not_found when the layer is unknown.
using LayerChainResolver = std::function<Result<std::vector<std::filesystem::path>>(const std::string& layer_id)>;

struct RuncOptions {
  // The runc executable: a path, or a name looked up in PATH.
  std::filesystem::path runc_path = "runc";
  std::filesystem::path monitor_path;  // silo-monitor
  std::filesystem::path holder_path;   // silo-sandbox-holder
  std::filesystem::path data_root;     // runc/state and runc/sandboxes go under it
  std::string cgroup_parent = "silo";
  std::chrono::milliseconds start_timeout{30000};
  LayerChainResolver layers;
};

// <directory of /proc/self/exe>/silo-sandbox-holder: where installs and the build put it.
std::filesystem::path default_holder_path();

class RuncBackend final : public Backend {
 public:
  explicit RuncBackend(RuncOptions options);
  ~RuncBackend() override;

  Isolation isolation() const override { return Isolation::process; }
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
  // The runc binary as a path, or unavailable saying how to install it.
  Result<std::filesystem::path> runc_binary();
  Result<RuncInvocation> invocation();
  // Mounts the root (if not mounted), joins the sandbox and writes config.json.
  Result<void> prepare_bundle(const LaunchRequest& request, const RuncHandle& handle);
  Result<platform::ProcessIdentity> launch_monitor(const std::filesystem::path& state_dir, std::vector<std::string> argv,
                                                   const RuncHandle& handle, bool exec, const LogOptions& log);
  // Waits until runc wrote the container's pid file (the container exists) or the monitor ended.
  void await_created(const RuncHandle& handle, const platform::ProcessIdentity& monitor);
  void deliver(const hostprocess::WatchedMonitor& monitor, const ExitStatus& status);
  void adopt_execs(const RuncHandle& handle);

  RuncOptions options_;
  std::filesystem::path state_root_;
  SandboxHolders holders_;
  SystemClock clock_;
  std::mutex probe_mutex_;
  std::string probed_runc_;  // the runc whose `--version` answered, so probe() runs it once
  bool overlay_ok_ = false;
  std::mutex sink_mutex_;
  ExitSink sink_;
  // Last member: its thread calls deliver(), so it must stop before the rest is destroyed.
  std::unique_ptr<hostprocess::ExitWatcher> watcher_;
};

}  // namespace silo::engine::runc
