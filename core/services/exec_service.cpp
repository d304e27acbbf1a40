#include "core/services/exec_service.h"

#include "core/ids.h"

#include <vector>

namespace silo::services {

ExecService::ExecService(std::shared_ptr<ContainerService> containers) : containers_(std::move(containers)) {
  containers_->set_exec_exit_handler(
      [this](const std::string&, const std::string& exec_id, const engine::ExitStatus& status) { on_exit(exec_id, status); });
}

Result<ExecRecord> ExecService::create(std::string_view container_ref, ExecSpec spec) {
  SILO_TRY(validate_command(spec.command));
  SILO_TRY(validate_env(spec.env));
  if (!spec.user.empty()) SILO_TRY(validate_user(spec.user));
  auto container = containers_->get(container_ref);
  if (!container) return container.error();
  if (container->state != ContainerState::running) {
    return make_error(Errc::conflict, "container " + container->name + " is " + std::string(to_string(container->state)) +
                                          "; exec needs a running container, start it first");
  }
  ExecRecord record;
  record.id = ids::generate();
  record.container_id = container->id;
  record.spec = std::move(spec);
  record.created_at = containers_->clock().now();
  std::lock_guard lock(mutex_);
  execs_[record.id] = record;
  return record;
}

Result<std::string> ExecService::resolve(std::string_view ref) const {
  if (!ids::is_id_prefix(ref)) return make_error(Errc::not_found, "no such exec: " + std::string(ref));
  std::vector<std::string> matches;
  std::lock_guard lock(mutex_);
  for (auto it = execs_.lower_bound(std::string(ref)); it != execs_.end() && it->first.starts_with(ref); ++it)
    matches.push_back(it->first);
  return ids::pick_unique("exec", ref, matches);
}

Result<ExecRecord> ExecService::get(std::string_view exec_ref) const {
  auto id = resolve(exec_ref);
  if (!id) return id.error();
  std::lock_guard lock(mutex_);
  return execs_.at(*id);
}

std::filesystem::path ExecService::state_dir(const ExecRecord& exec) const {
  return containers_->state_dir(exec.container_id) / "exec" / exec.id;
}

Result<ExecRecord> ExecService::start(std::string_view exec_ref) {
  auto exec = get(exec_ref);
  if (!exec) return exec.error();
  if (exec->started_at) return make_error(Errc::conflict, "exec " + exec->id + " was already started; create another");
  auto container = containers_->get(exec->container_id);
  if (!container) return container.error();
  if (container->state != ContainerState::running) {
    return make_error(Errc::conflict, "container " + container->name + " is " + std::string(to_string(container->state)) +
                                          "; exec needs a running container");
  }
  auto backend = containers_->backend_for(container->isolation);
  if (!backend) return backend.error();
  {
    std::lock_guard lock(mutex_);
    auto& slot = execs_.at(exec->id);
    if (slot.started_at) return make_error(Errc::conflict, "exec " + exec->id + " was already started; create another");
    slot.started_at = containers_->clock().now();
    slot.running = true;
  }
  engine::ExecRequest request{exec->id, exec->spec.command, exec->spec.env, exec->spec.working_dir, exec->spec.user,
                              state_dir(*exec)};
  if (auto started = (*backend)->exec(container->backend_handle, request); !started) {
    std::lock_guard lock(mutex_);
    auto& slot = execs_.at(exec->id);
    slot.running = false;
    slot.started_at.reset();
    return started.error();
  }
  return get(exec->id);
}

void ExecService::on_exit(const std::string& exec_id, const engine::ExitStatus& status) {
  {
    std::lock_guard lock(mutex_);
    auto found = execs_.find(exec_id);
    if (found == execs_.end()) return;
    found->second.running = false;
    found->second.exit_code = status.exit_code;
    found->second.finished_at = status.finished_at != 0 ? status.finished_at : containers_->clock().now();
  }
  notifier()->notify(exec_id);
}

}  // namespace silo::services
