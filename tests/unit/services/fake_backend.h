// A test double of engine::Backend: records what the service asked, and lets a test decide what
// happens (create fails, the stop signal is ignored, which containers survive a restart). Exits
// are delivered through the real exit sink, as a backend's watcher thread would.
#pragma once

#include "core/engine/backend.h"

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace silo::testing {

class FakeBackend final : public engine::Backend {
 public:
  explicit FakeBackend(Isolation isolation = Isolation::hostprocess) : isolation_(isolation) {}

  // Knobs.
  bool fail_create = false;
  bool ignore_stop_signal = false;  // signal() other than SIGKILL does nothing
  std::map<std::string, engine::AdoptOutcome> adopt_outcomes;  // by handle

  // What happened.
  std::vector<std::string> calls;  // "create <id>", "start <id>", "signal <id> 15", "terminate <id>", "remove <id>"
  std::set<std::string> live;      // made by create, not yet removed

  // Reports the exit of a running container, as its monitor would.
  void exit(const std::string& container_id, int code, bool oom = false);

  Isolation isolation() const override { return isolation_; }
  engine::Availability probe() override { return {true, ""}; }
  void set_exit_sink(engine::ExitSink sink) override;
  Result<engine::BackendHandle> create(const engine::LaunchRequest& request) override;
  Result<engine::BackendHandle> start(const engine::LaunchRequest& request, const engine::BackendHandle& handle) override;
  Result<void> signal(const engine::BackendHandle& handle, int signal) override;
  Result<void> terminate(const engine::BackendHandle& handle) override;
  Result<engine::ContainerStats> stats(const engine::BackendHandle& handle) override;
  Result<void> exec(const engine::BackendHandle& handle, const engine::ExecRequest& request) override;
  Result<void> remove(const engine::BackendHandle& handle) override;
  Result<engine::AdoptOutcome> adopt(const engine::BackendHandle& handle) override;

  std::vector<std::string> calls_snapshot();
  bool was_called(const std::string& call);

 private:
  void record(std::string call);
  Isolation isolation_;
  std::mutex mutex_;
  engine::ExitSink sink_;
  std::set<std::string> running_;
};

}  // namespace silo::testing
