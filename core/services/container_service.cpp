#include "core/services/container_service.h"

#include "core/services/host_paths.h"

#include "core/logging.h"
#include "core/model/spec_json.h"

namespace silo::services {

ContainerService::ContainerService(std::shared_ptr<MetadataStore> store, std::shared_ptr<engine::Engine> engine,
                                   std::shared_ptr<const Clock> clock, ServiceOptions options)
    : store_(std::move(store)),
      engine_(std::move(engine)),
      clock_(std::move(clock)),
      options_(std::move(options)),
      exits_([this](const std::string& container_id, const std::string& exec_id, const engine::ExitStatus& status) {
        if (!exec_id.empty()) {
          ExecExitHandler handler;
          {
            std::lock_guard lock(exec_mutex_);
            handler = exec_exit_handler_;
          }
          if (handler) handler(container_id, exec_id, status);
          return;
        }
        handle_exit(container_id, status);
      }) {}

ContainerService::~ContainerService() {
  // Backends may outlive this service (the engine owns them): no exit may reach a dead sink.
  for (auto mode : {Isolation::process, Isolation::hyperv, Isolation::hostprocess}) {
    if (auto backend = engine_->backend(mode)) backend->set_exit_sink({});
  }
}

void ContainerService::attach_to_backends() {
  for (auto mode : {Isolation::process, Isolation::hyperv, Isolation::hostprocess}) {
    auto backend = engine_->backend(mode);
    if (!backend) continue;
    backend->set_exit_sink([this](const std::string& container_id, const std::string& exec_id,
                                  const engine::ExitStatus& status) { exits_.push(container_id, exec_id, status); });
  }
}

void ContainerService::set_exec_exit_handler(ExecExitHandler handler) {
  std::lock_guard lock(exec_mutex_);
  exec_exit_handler_ = std::move(handler);
}

Result<ContainerRecord> ContainerService::get(std::string_view ref) { return store_->find_container(ref); }

Result<std::vector<ContainerRecord>> ContainerService::list(const ContainerFilter& filter) {
  return store_->list_containers(filter);
}

std::filesystem::path ContainerService::state_dir(std::string_view container_id) const {
  return options_.data_root / "containers" / std::string(container_id);
}

Result<std::shared_ptr<engine::Backend>> ContainerService::backend_for(Isolation isolation) const {
  auto backend = engine_->backend(isolation);
  if (!backend) {
    return make_error(Errc::failed_precondition,
                      std::string(to_string(isolation)) + " isolation has no backend in this silod");
  }
  return backend;
}

Result<ContainerRecord> ContainerService::commit(const std::string& id, const ContainerTransition& transition,
                                                 const std::function<void(ContainerRecord&)>& mutate) {
  ContainerRecord written;
  auto committed = store_->write([&](WriteTxn& txn) -> Result<void> {
    auto current = txn.get_container(id);
    if (!current) return current.error();
    // Compare-and-set: another writer may have moved the container since the plan was made.
    if (transition.from && current->state != *transition.from) {
      return make_error(Errc::conflict, "container " + current->name + " is " + std::string(to_string(current->state)) +
                                            " now; try again");
    }
    if (transition.to) {
      current->state = *transition.to;
      current->state_reason = transition.reason;
      if (mutate) mutate(*current);
      SILO_TRY(txn.update_container(*current));
    } else {
      SILO_TRY(txn.delete_container(id));
    }
    for (const auto& draft : transition.events) {
      auto event = txn.append_event(draft);
      if (!event) return event.error();
    }
    written = std::move(*current);
    return {};
  });
  if (!committed) return committed.error();
  notifier_->notify(id);
  return written;
}

Result<ContainerRecord> ContainerService::start(std::string_view ref, const Identity& caller) {
  auto found = store_->find_container(ref);
  if (!found) return found.error();
  auto lock_slot = locks_.of(found->id);
  std::lock_guard lock(*lock_slot);
  auto record = store_->find_container(found->id);  // fresh, under the lock
  if (!record) return record.error();
  return start_locked(*record, caller);
}

Result<ContainerRecord> ContainerService::start_locked(const ContainerRecord& record, const Identity& caller,
                                                       ContainerOperation operation) {
  auto plan = plan_transition({record.id, record.name}, record.state, operation);
  if (!plan) return plan.error();
  auto backend = backend_for(record.isolation);
  if (!backend) return backend.error();
  auto request = launch_request(record);
  if (!request) return request.error();
  // Held until the backend has started the container (and so made its mounts): what is checked
  // here is what gets mounted, whatever is swapped into the paths meanwhile.
  auto held = HeldMountSources::hold(request->spec.mounts);
  auto reach = container_reaching_host(record.isolation == Isolation::hostprocess, request->spec, options_.host_access,
                                       held.resolver());
  SILO_TRY(check_host_access(caller, "start container " + record.name, reach));
  SILO_TRY(held.use_in(request->spec.mounts, mount_staging_dir(), record.id.substr(0, 12)));
  auto handle = (*backend)->start(*request, record.backend_handle);
  if (!handle) return handle.error();
  const TimeNs now = clock_->now();
  auto written = commit(record.id, *plan, [&](ContainerRecord& row) {
    row.backend_handle = *handle;
    row.started_at = now;
    row.finished_at.reset();
    row.exit_code.reset();
  });
  if (!written) {
    // Not recorded as running: do not leave an unrecorded process behind.
    (void)(*backend)->terminate(*handle);
  }
  return written;
}

Result<ContainerRecord> ContainerService::kill(std::string_view ref, int signal) {
  auto found = store_->find_container(ref);
  if (!found) return found.error();
  auto lock_slot = locks_.of(found->id);
  std::lock_guard lock(*lock_slot);
  auto record = store_->find_container(found->id);
  if (!record) return record.error();
  OperationFacts facts;
  facts.signal = signal;
  auto plan = plan_transition({record->id, record->name}, record->state, ContainerOperation::kill, facts);
  if (!plan) return plan.error();
  auto backend = backend_for(record->isolation);
  if (!backend) return backend.error();
  SILO_TRY((*backend)->signal(record->backend_handle, signal));
  return commit(record->id, *plan, {});
}

Result<engine::ContainerStats> ContainerService::stats(std::string_view ref) {
  auto record = store_->find_container(ref);
  if (!record) return record.error();
  if (record->state != ContainerState::running) {
    return make_error(Errc::failed_precondition, "container " + record->name + " is " +
                                                     std::string(to_string(record->state)) +
                                                     "; stats are read from a running container, start it first");
  }
  auto backend = backend_for(record->isolation);
  if (!backend) return backend.error();
  return (*backend)->stats(record->backend_handle);
}

}  // namespace silo::services
