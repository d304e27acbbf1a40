// Exits reported by backends, and re-adoption after a daemon restart: the two ways a container
// leaves "running" without an API call in progress.
#include "core/logging.h"
#include "core/platform/host_path.h"
#include "core/services/container_service.h"

namespace silo::services {
namespace {

void apply_exit(ContainerRecord& row, const engine::ExitStatus& status, TimeNs now) {
  row.exit_code = status.exit_code;
  row.finished_at = status.finished_at != 0 ? status.finished_at : now;
}

}  // namespace

void ContainerService::handle_exit(const std::string& container_id, const engine::ExitStatus& status) {
  auto slot = locks_.of(container_id);
  std::lock_guard lock(*slot);
  auto record = store_->find_container(container_id);
  if (!record) {
    logging::get("services")->warn("exit of unknown container {} ignored: {}", container_id, record.error().message);
    return;
  }
  record_exit(*record, status);
}

void ContainerService::record_exit(const ContainerRecord& record, const engine::ExitStatus& status) {
  auto log = logging::get("services");
  std::optional<StopIntent> intent;
  {
    std::lock_guard stop_lock(stop_mutex_);
    if (auto found = stopping_.find(record.id); found != stopping_.end()) {
      intent = found->second;
      stopping_.erase(found);
    }
  }
  OperationFacts facts;
  facts.exit_code = status.exit_code;
  facts.oom_killed = status.oom_killed;
  auto operation = ContainerOperation::exit;
  if (intent && record.state == ContainerState::running) {
    operation = ContainerOperation::stop;  // an exit we asked for: record it as docker records a stop
    facts.signal = intent->signal;
    facts.escalated_to_kill = intent->escalated;
  }
  auto plan = plan_transition({record.id, record.name}, record.state, operation, facts);
  if (!plan) {
    log->warn("container {}: exit ({}) not recorded: {}", record.id, status.reason, plan.error().message);
    return;
  }
  if (status.oom_killed && operation == ContainerOperation::stop) plan->reason += "; out of memory";
  const TimeNs now = clock_->now();
  auto written = commit(record.id, *plan, [&](ContainerRecord& row) { apply_exit(row, status, now); });
  if (!written) log->error("container {}: could not record its exit: {}", record.id, written.error().message);
}

AdoptReport ContainerService::adopt_all() {
  AdoptReport report;
  // A start interrupted by a crash may have left mount sources staged; no start is running now.
  platform::PinnedHostPath::clear_staging(mount_staging_dir());
  auto all = store_->list_containers({});
  if (!all) {
    logging::get("services")->error("cannot list containers to re-adopt: {}", all.error().message);
    ++report.failed;
    return report;
  }
  for (const auto& record : *all) adopt_one(record, report);
  logging::get("services")->info("re-adoption: {} still running, {} exited while silod was down, {} removals resumed, {} failed",
                                 report.still_running, report.exited_meanwhile, report.removals_resumed, report.failed);
  return report;
}

void ContainerService::adopt_one(const ContainerRecord& record, AdoptReport& report) {
  auto log = logging::get("services");
  if (record.state == ContainerState::removing) {
    auto removed = remove(record.id, true);
    if (removed) ++report.removals_resumed;
    else {
      ++report.failed;
      log->warn("container {}: removal not resumed: {}", record.id, removed.error().message);
    }
    return;
  }
  if (record.state != ContainerState::running) return;
  auto slot = locks_.of(record.id);
  std::lock_guard lock(*slot);
  auto backend = backend_for(record.isolation);
  auto outcome = backend ? (*backend)->adopt(record.backend_handle) : Result<engine::AdoptOutcome>(backend.error());
  OperationFacts facts;
  if (outcome && outcome->running) {
    facts.still_running = true;
  } else {
    if (!outcome) log->warn("container {}: cannot re-adopt, recording it as exited: {}", record.id, outcome.error().message);
    if (outcome && outcome->exit) {
      facts.exit_code = outcome->exit->exit_code;
      facts.oom_killed = outcome->exit->oom_killed;
    }
  }
  auto plan = plan_transition({record.id, record.name}, record.state, ContainerOperation::readopt, facts);
  if (!plan) {
    ++report.failed;
    return;
  }
  const TimeNs now = clock_->now();
  auto written = commit(record.id, *plan, [&](ContainerRecord& row) {
    if (outcome) row.backend_handle = outcome->handle.empty() ? row.backend_handle : outcome->handle;
    if (facts.still_running) return;
    row.exit_code = facts.exit_code.value_or(kUnknownExitCode);
    row.finished_at = outcome && outcome->exit && outcome->exit->finished_at != 0 ? outcome->exit->finished_at : now;
  });
  if (!written) {
    ++report.failed;
    log->error("container {}: re-adoption not recorded: {}", record.id, written.error().message);
  } else if (facts.still_running) {
    ++report.still_running;
  } else {
    ++report.exited_meanwhile;
  }
}

}  // namespace silo::services
