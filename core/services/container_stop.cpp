// Stopping, restarting, removing and waiting: the operations that wait for an exit. None holds a
// container's lock while it waits, because the exit it waits for is recorded under that lock.
#include "core/logging.h"
#include "core/model/spec_json.h"
#include "core/model/stop_signal.h"
#include "core/services/container_service.h"

#include <algorithm>

namespace silo::services {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

Error wrong_state(const ContainerRecord& record, std::string_view what) {
  return make_error(Errc::conflict, "container " + record.name + " is " + std::string(to_string(record.state)) + "; " +
                                        std::string(what));
}

}  // namespace

Result<ContainerRecord> ContainerService::wait_not_running(const std::string& id, milliseconds timeout) {
  BlockingWatch watch(*notifier_, id);  // before the first read, so no change is missed
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto record = store_->find_container(id);
    if (!record || record->state != ContainerState::running) return record;
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left <= milliseconds(0)) return record;
    watch.wait_for(std::min(left, milliseconds(1000)));
  }
}

Result<ContainerRecord> ContainerService::stop(std::string_view ref, std::optional<std::int64_t> timeout_seconds) {
  auto found = store_->find_container(ref);
  if (!found) return found.error();
  const std::string id = found->id;
  auto spec = container_spec_from_json(found->spec);
  if (!spec) return make_error(Errc::internal, "container " + id + " has an unreadable spec: " + spec.error().message);
  auto signal = parse_signal("stopSignal", spec->stop_signal);
  if (!signal) return signal.error();
  auto backend = backend_for(found->isolation);
  if (!backend) return backend.error();
  {
    auto slot = locks_.of(id);
    std::lock_guard lock(*slot);
    auto record = store_->find_container(id);
    if (!record) return record.error();
    if (record->state != ContainerState::running) {
      auto plan = plan_transition({record->id, record->name}, record->state, ContainerOperation::stop);
      if (!plan) return plan.error();
      return record;  // created or exited: nothing to stop
    }
    {
      std::lock_guard stop_lock(stop_mutex_);
      stopping_[id] = StopIntent{*signal, false};
    }
    if (auto sent = (*backend)->signal(record->backend_handle, *signal); !sent) {
      std::lock_guard stop_lock(stop_mutex_);
      stopping_.erase(id);
      return sent.error();
    }
  }
  const std::int64_t seconds = timeout_seconds.value_or(spec->stop_timeout_seconds);
  auto after = wait_not_running(id, std::chrono::seconds(std::max<std::int64_t>(seconds, 0)));
  if (!after || after->state != ContainerState::running) return after;
  {
    auto slot = locks_.of(id);
    std::lock_guard lock(*slot);
    {
      std::lock_guard stop_lock(stop_mutex_);
      auto intent = stopping_.find(id);
      if (intent != stopping_.end()) intent->second.escalated = true;
    }
    if (auto ended = (*backend)->terminate(after->backend_handle); !ended) return ended.error();
  }
  after = wait_not_running(id, options_.kill_wait);
  if (after && after->state == ContainerState::running) {
    return make_error(Errc::unavailable, "container " + after->name + " was terminated but its exit was not reported within " +
                                             std::to_string(options_.kill_wait.count()) + " ms; check silod's log");
  }
  return after;
}

// docker's restart of a running container emits kill, [kill 9], die, stop, start, restart. The stop
// half is recorded by the exit the stop waits for; the start half is one transaction that records
// start and restart together, so no reader sees a restart without its start or the other way round.
Result<ContainerRecord> ContainerService::restart(std::string_view ref, std::optional<std::int64_t> timeout_seconds,
                                                  const Identity& caller) {
  auto stopped = stop(ref, timeout_seconds);
  if (!stopped) return stopped.error();
  auto slot = locks_.of(stopped->id);
  std::lock_guard lock(*slot);
  auto record = store_->find_container(stopped->id);
  if (!record) return record.error();
  if (record->state == ContainerState::running) {
    return wrong_state(*record, "another request started it while it was being restarted");
  }
  return start_locked(*record, caller, ContainerOperation::restart);
}

Result<void> ContainerService::remove(std::string_view ref, bool force) {
  auto found = store_->find_container(ref);
  if (!found) return found.error();
  const std::string id = found->id;
  auto slot = locks_.of(id);
  std::unique_lock lock(*slot);
  auto record = store_->find_container(id);
  if (!record) return record.error();
  if (record->state == ContainerState::removing) return finish_remove(*record);  // resume an interrupted removal
  if (record->state == ContainerState::running && !force) {
    return wrong_state(*record, "stop it first or remove it with force");
  }
  const bool was_running = record->state == ContainerState::running;
  auto plan = plan_transition({record->id, record->name}, record->state,
                              was_running ? ContainerOperation::force_remove : ContainerOperation::remove, {});
  if (!plan) return plan.error();
  auto removing = commit(id, *plan, {});
  if (!removing) return removing.error();
  if (was_running) {
    auto backend = backend_for(record->isolation);
    if (!backend) return backend.error();
    SILO_TRY((*backend)->terminate(record->backend_handle));
    // The exit is recorded under this container's lock, so let it in while waiting for it.
    lock.unlock();
    BlockingWatch watch(*notifier_, id);
    const auto deadline = Clock::now() + options_.kill_wait;
    for (int round = 0; round < 1000 && Clock::now() < deadline; ++round) {
      auto now = store_->find_container(id);
      if (!now || now->finished_at != record->finished_at) break;
      watch.wait_for(milliseconds(100));
    }
    lock.lock();
  }
  auto latest = store_->find_container(id);
  if (!latest) return latest.error();
  return finish_remove(*latest);
}

Result<void> ContainerService::finish_remove(const ContainerRecord& record) {
  if (!record.backend_handle.empty()) {
    auto backend = backend_for(record.isolation);
    if (!backend) return backend.error();
    if (auto removed = (*backend)->remove(record.backend_handle); !removed) {
      return make_error(removed.error().code, "container " + record.name + " stays in state removing: " +
                                                  removed.error().message + "; retry the removal");
    }
  }
  auto plan = plan_transition({record.id, record.name}, record.state, ContainerOperation::finish_remove);
  if (!plan) return plan.error();
  auto deleted = commit(record.id, *plan, {});
  if (!deleted) return deleted.error();
  locks_.forget(record.id);
  return remove_implicit_sandbox(record.sandbox_id);
}

Result<void> ContainerService::remove_implicit_sandbox(const std::string& sandbox_id) {
  auto sandbox = store_->find_sandbox(sandbox_id);
  if (!sandbox) return {};  // removed already
  auto marker = sandbox->annotations.find(std::string(kImplicitSandboxAnnotation));
  if (marker == sandbox->annotations.end() || marker->second != "true") return {};
  ContainerFilter filter;
  filter.sandbox_id = sandbox_id;
  auto members = store_->list_containers(filter);
  if (!members || !members->empty()) return {};
  auto written = store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.delete_sandbox(sandbox_id));
    auto event = txn.append_event({"sandbox", "destroy", sandbox_id, {{"name", sandbox->name}}});
    if (!event) return event.error();
    return {};
  });
  if (!written) {
    logging::get("services")->warn("implicit sandbox {} stays: {}", sandbox_id, written.error().message);
  }
  return {};
}

Result<int> ContainerService::wait(std::string_view ref, WaitCondition condition, milliseconds timeout) {
  auto found = store_->find_container(ref);
  if (!found) return found.error();
  return wait_from(*found, condition, timeout);
}

Result<int> ContainerService::wait_from(const ContainerRecord& seen, WaitCondition condition, milliseconds timeout) {
  const ContainerRecord* found = &seen;
  const std::string id = seen.id;
  BlockingWatch watch(*notifier_, id);
  const WaitStart start = wait_start(seen);
  std::optional<int> last_code = seen.exit_code;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto now = store_->find_container(id);
    std::optional<ContainerRecord> current;
    if (now) {
      current = *now;
      if (now->exit_code) last_code = now->exit_code;
    } else if (now.error().code != Errc::not_found) {
      return now.error();
    }
    if (auto outcome = wait_satisfied(condition, start, current, last_code)) return outcome->exit_code;
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left <= milliseconds(0)) return make_error(Errc::unavailable, "container " + found->name + ": wait timed out");
    watch.wait_for(std::min(left, milliseconds(1000)));
  }
}

}  // namespace silo::services
