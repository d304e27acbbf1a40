// The container service: the only place container decisions live. It validates and places a
// container (hostprocess_rules.h), records every transition of the state machine
// (container_state.h) with its events in one store transaction, drives the backend, and turns the
// backend's exits into recorded exits. Handlers call it; it never sees HTTP.
//
// Threads: every method may block (store writes, backend calls, stop waits up to its timeout), so
// the API calls it from a worker pool, never from an io thread. Exits arrive on the backend's
// watcher thread and are handed to one exit worker, so the watcher never waits on the store.
// Operations on one container are serialised by a per-container lock, which also makes an exit
// that races its own start wait until "running" is recorded.
#pragma once

#include "core/clock.h"
#include "core/engine/engine.h"
#include "core/model/container_spec.h"
#include "core/model/container_state.h"
#include "core/model/host_access.h"
#include "core/model/hostprocess_rules.h"
#include "core/model/identity.h"
#include "core/services/change_notifier.h"
#include "core/services/container_locks.h"
#include "core/services/exit_queue.h"
#include "core/services/wait_condition.h"
#include "core/store/metadata_store.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace silo::services {

struct ServiceOptions {
  std::filesystem::path data_root;
  HostPlatform platform = HostPlatform::posix;
  // After SIGKILL / terminate, how long to wait for the backend to report the exit.
  std::chrono::milliseconds kill_wait{10000};
  // Which host paths an operator may bind mount (core/model/host_access.h); the roots resolved.
  HostAccessPolicy host_access;
};

// Annotation silo puts on a sandbox it created for a container that came without one; such a
// sandbox is removed with its last container.
inline constexpr std::string_view kImplicitSandboxAnnotation = "io.silo.implicit-sandbox";

struct AdoptReport {
  int still_running = 0;
  int exited_meanwhile = 0;
  int removals_resumed = 0;
  int failed = 0;
};

using ExecExitHandler = std::function<void(const std::string& container_id, const std::string& exec_id,
                                           const engine::ExitStatus& status)>;

class ContainerService {
 public:
  ContainerService(std::shared_ptr<MetadataStore> store, std::shared_ptr<engine::Engine> engine,
                   std::shared_ptr<const Clock> clock, ServiceOptions options);
  ~ContainerService();
  ContainerService(const ContainerService&) = delete;
  ContainerService& operator=(const ContainerService&) = delete;

  // Installs this service's exit sink on every registered backend. Call once, before adopt_all.
  void attach_to_backends();
  // Exits of exec processes go here (the exec service).
  void set_exec_exit_handler(ExecExitHandler handler);

  Result<ContainerRecord> create(ContainerSpec spec, const Identity& caller);
  Result<ContainerRecord> get(std::string_view ref);
  Result<std::vector<ContainerRecord>> list(const ContainerFilter& filter);

  // The caller decides whether the container may reach the host (core/model/host_access.h), checked
  // on its mount sources as they are held for the mount.
  Result<ContainerRecord> start(std::string_view ref, const Identity& caller);
  // Sends the stop signal, waits up to timeout_seconds (the spec's when unset), then terminates;
  // returns after the exit is recorded. A container that is not running is left as it is.
  Result<ContainerRecord> stop(std::string_view ref, std::optional<std::int64_t> timeout_seconds);
  Result<ContainerRecord> kill(std::string_view ref, int signal);
  Result<ContainerRecord> restart(std::string_view ref, std::optional<std::int64_t> timeout_seconds,
                                  const Identity& caller);
  // Refused while running unless force (then: terminate, wait bounded, remove).
  Result<void> remove(std::string_view ref, bool force);
  Result<engine::ContainerStats> stats(std::string_view ref);

  // Why acting on this container acts on the host (a HostProcess container on the host, or a
  // mount outside the operator-mount-roots as the host resolves it now), or nullopt. Asked on every
  // request that acts on a container, so a mount source swapped for a symlink after the create is
  // judged by where it points now.
  std::optional<std::string> host_reach(const ContainerRecord& record, ReachFor purpose) const;

  // Blocks until the condition holds or `timeout` passes (unavailable then). For callers on a
  // worker thread; the HTTP route waits asynchronously through notifier() instead.
  Result<int> wait(std::string_view ref, WaitCondition condition, std::chrono::milliseconds timeout);
  // The same, measured from `seen`, a record read before: next-exit means an exit after that read.
  Result<int> wait_from(const ContainerRecord& seen, WaitCondition condition, std::chrono::milliseconds timeout);

  // At daemon start: re-adopt running containers, record exits that happened meanwhile, resume
  // interrupted removals.
  AdoptReport adopt_all();

  // Records an exit reported by a backend (normally reached through the exit worker).
  void handle_exit(const std::string& container_id, const engine::ExitStatus& status);

  std::shared_ptr<ChangeNotifier> notifier() const { return notifier_; }
  std::filesystem::path state_dir(std::string_view container_id) const;
  // Where mount sources are staged while a container starts (services/host_paths.h); silod's alone.
  std::filesystem::path mount_staging_dir() const { return options_.data_root / "mount-staging"; }
  Result<std::shared_ptr<engine::Backend>> backend_for(Isolation isolation) const;
  const Clock& clock() const { return *clock_; }

 private:
  struct StopIntent {
    int signal = 15;
    bool escalated = false;
  };

  Result<ContainerRecord> create_locked(ContainerSpec spec, const Identity& caller);
  Result<void> undo_create(const ContainerRecord& container, const std::optional<SandboxRecord>& implicit);
  Result<engine::LaunchRequest> launch_request(const ContainerRecord& record);
  // Writes `transition` onto the container's current row if it is still in transition.from.
  Result<ContainerRecord> commit(const std::string& id, const ContainerTransition& transition,
                                 const std::function<void(ContainerRecord&)>& mutate);
  // Starts a created or exited container, recording `operation`'s transition: start, or restart
  // (start + restart events and the reason "restarted" in one transaction).
  Result<ContainerRecord> start_locked(const ContainerRecord& record, const Identity& caller,
                                       ContainerOperation operation = ContainerOperation::start);
  Result<void> finish_remove(const ContainerRecord& record);
  Result<void> remove_implicit_sandbox(const std::string& sandbox_id);
  // Waits until the container is not running, or timeout; returns its record then.
  Result<ContainerRecord> wait_not_running(const std::string& id, std::chrono::milliseconds timeout);
  void record_exit(const ContainerRecord& record, const engine::ExitStatus& status);
  void adopt_one(const ContainerRecord& record, AdoptReport& report);

  std::shared_ptr<MetadataStore> store_;
  std::shared_ptr<engine::Engine> engine_;
  std::shared_ptr<const Clock> clock_;
  ServiceOptions options_;
  std::shared_ptr<ChangeNotifier> notifier_ = ChangeNotifier::create();
  ContainerLocks locks_;

  std::mutex stop_mutex_;
  std::map<std::string, StopIntent> stopping_;  // containers whose exit is a stop, not a crash
  std::mutex exec_mutex_;
  ExecExitHandler exec_exit_handler_;
  ExitQueue exits_;  // last: its thread stops first, while everything it touches still exists
};

}  // namespace silo::services
