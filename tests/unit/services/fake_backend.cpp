#include "tests/unit/services/fake_backend.h"

#include <algorithm>

namespace silo::testing {

void FakeBackend::record(std::string call) {
  std::lock_guard lock(mutex_);
  calls.push_back(std::move(call));
}

std::vector<std::string> FakeBackend::calls_snapshot() {
  std::lock_guard lock(mutex_);
  return calls;
}

bool FakeBackend::was_called(const std::string& call) {
  auto all = calls_snapshot();
  return std::find(all.begin(), all.end(), call) != all.end();
}

void FakeBackend::set_exit_sink(engine::ExitSink sink) {
  std::lock_guard lock(mutex_);
  sink_ = std::move(sink);
}

void FakeBackend::exit(const std::string& container_id, int code, bool oom) {
  engine::ExitSink sink;
  {
    std::lock_guard lock(mutex_);
    running_.erase(container_id);
    sink = sink_;
  }
  engine::ExitStatus status;
  status.exit_code = code;
  status.oom_killed = oom;
  status.finished_at = 0;
  status.reason = "exited with code " + std::to_string(code);
  if (sink) sink(container_id, "", status);
}

Result<engine::BackendHandle> FakeBackend::create(const engine::LaunchRequest& request) {
  record("create " + request.container_id);
  if (fail_create) return make_error(Errc::invalid_argument, "user \"nobody-here\" does not exist on this host");
  std::lock_guard lock(mutex_);
  live.insert(request.container_id);
  return request.container_id;
}

Result<engine::BackendHandle> FakeBackend::start(const engine::LaunchRequest& request, const engine::BackendHandle& handle) {
  record("start " + request.container_id);
  std::lock_guard lock(mutex_);
  running_.insert(handle);
  return handle;
}

Result<void> FakeBackend::signal(const engine::BackendHandle& handle, int signal) {
  record("signal " + handle + " " + std::to_string(signal));
  if (ignore_stop_signal && signal != 9) return {};
  exit(handle, 128 + signal);
  return {};
}

Result<void> FakeBackend::terminate(const engine::BackendHandle& handle) {
  record("terminate " + handle);
  exit(handle, 137);
  return {};
}

Result<engine::ContainerStats> FakeBackend::stats(const engine::BackendHandle&) {
  engine::ContainerStats stats;
  stats.read_at = 1;
  stats.pids_current = 1;
  return stats;
}

Result<void> FakeBackend::exec(const engine::BackendHandle& handle, const engine::ExecRequest& request) {
  record("exec " + handle + " " + request.exec_id);
  engine::ExitSink sink;
  {
    std::lock_guard lock(mutex_);
    sink = sink_;
  }
  engine::ExitStatus status;
  status.exit_code = 7;
  if (sink) sink(handle, request.exec_id, status);
  return {};
}

Result<void> FakeBackend::remove(const engine::BackendHandle& handle) {
  record("remove " + handle);
  std::lock_guard lock(mutex_);
  live.erase(handle);
  return {};
}

Result<engine::AdoptOutcome> FakeBackend::adopt(const engine::BackendHandle& handle) {
  record("adopt " + handle);
  auto found = adopt_outcomes.find(handle);
  if (found == adopt_outcomes.end()) return make_error(Errc::not_found, "no such container on this host");
  return found->second;
}

}  // namespace silo::testing
