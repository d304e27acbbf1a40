#include "core/engine/hcs/computecore/compute_system.h"

#include "core/engine/hcs/computecore/operation.h"
#include "core/engine/hcs/computecore/wide_text.h"
#include "core/engine/hcs/documents/results.h"

namespace silo::hcs::computecore {
namespace {

Result<void> ignore_document(const Result<std::string>& result) {
  if (!result) return result.error();
  return {};
}

}  // namespace

Result<ComputeSystem> ComputeSystem::create(std::shared_ptr<const ComputeCoreApi> api, const std::string& id,
                                            const std::string& document, EventHandler on_event, Deadlines deadlines) {
  std::wstring wide_id = to_wide(id);
  std::wstring configuration = to_wide(document);
  HCS_SYSTEM handle = nullptr;
  auto created = run_operation(*api, "HcsCreateComputeSystem " + id, deadlines.create, [&](HCS_OPERATION op) {
    return api->create_compute_system(wide_id.c_str(), configuration.c_str(), op, nullptr, &handle);
  });
  ComputeSystem system(api, id, handle, deadlines);
  if (!created) {
    if (handle != nullptr) (void)system.stop(false);  // HCS may have made it before failing
    return created.error();
  }
  if (handle == nullptr) return make_error(Errc::internal, "HcsCreateComputeSystem " + id + " returned no handle");
  auto watched = system.watch(std::move(on_event));
  if (!watched) {
    (void)system.stop(false);
    return watched.error();
  }
  return system;
}

Result<ComputeSystem> ComputeSystem::open(std::shared_ptr<const ComputeCoreApi> api, const std::string& id,
                                          EventHandler on_event, Deadlines deadlines) {
  std::wstring wide_id = to_wide(id);
  HCS_SYSTEM handle = nullptr;
  HRESULT hr = api->open_compute_system(wide_id.c_str(), GENERIC_ALL, &handle);
  if (FAILED(hr)) return operation_error("HcsOpenComputeSystem " + id, hr, {});
  ComputeSystem system(api, id, handle, deadlines);
  SILO_TRY(system.watch(std::move(on_event)));
  return system;
}

ComputeSystem::ComputeSystem(ComputeSystem&& other) noexcept
    : api_(std::move(other.api_)),
      id_(std::move(other.id_)),
      handle_(other.handle_),
      callback_id_(other.callback_id_),
      deadlines_(other.deadlines_) {
  other.handle_ = nullptr;
  other.callback_id_ = 0;
}

ComputeSystem::~ComputeSystem() {
  // HcsCloseComputeSystem unregisters the callback and waits for running ones; only then is it
  // safe to forget the handler.
  if (handle_ != nullptr) api_->close_compute_system(handle_);
  if (callback_id_ != 0) CallbackRegistry::instance().remove(callback_id_);
}

Result<void> ComputeSystem::watch(EventHandler on_event) {
  std::uintptr_t id = CallbackRegistry::instance().add(std::move(on_event));
  HRESULT hr = api_->set_compute_system_callback(handle_, HcsEventOptionNone, reinterpret_cast<void*>(id),
                                                 &CallbackRegistry::on_event);
  if (FAILED(hr)) {
    CallbackRegistry::instance().remove(id);
    return operation_error("HcsSetComputeSystemCallback " + id_, hr, {});
  }
  callback_id_ = id;
  return {};
}

Result<void> ComputeSystem::start() {
  return ignore_document(run_operation(*api_, "HcsStartComputeSystem " + id_, deadlines_.start, [&](HCS_OPERATION op) {
    return api_->start_compute_system(handle_, op, nullptr);
  }));
}

Result<void> ComputeSystem::stop(bool graceful) {
  std::string what = (graceful ? "HcsShutDownComputeSystem " : "HcsTerminateComputeSystem ") + id_;
  HCS_SYSTEM handle = handle_;
  const ComputeCoreApi& api = *api_;
  auto result = run_operation(api, what, deadlines_.stop, [&](HCS_OPERATION op) {
    return graceful ? api.shut_down_compute_system(handle, op, nullptr)
                    : api.terminate_compute_system(handle, op, nullptr);
  });
  if (!result && (result.error().code == Errc::failed_precondition || result.error().code == Errc::not_found)) {
    return {};  // already stopped or gone: the goal is reached
  }
  return ignore_document(result);
}

Result<void> ComputeSystem::shutdown() { return stop(true); }
Result<void> ComputeSystem::terminate() { return stop(false); }

Result<std::string> ComputeSystem::properties(const std::string& query) {
  std::wstring wide_query = to_wide(query);
  return run_operation(*api_, "HcsGetComputeSystemProperties " + id_, deadlines_.query, [&](HCS_OPERATION op) {
    return api_->get_compute_system_properties(handle_, op, wide_query.c_str());
  });
}

Result<engine::ContainerStats> ComputeSystem::statistics(TimeNs read_at) {
  auto document = properties(statistics_query());
  if (!document) return document.error();
  return container_stats_from_properties(*document, read_at);
}

Result<void> ComputeSystem::modify(const std::string& request) {
  std::wstring wide_request = to_wide(request);
  return ignore_document(run_operation(*api_, "HcsModifyComputeSystem " + id_, deadlines_.query, [&](HCS_OPERATION op) {
    return api_->modify_compute_system(handle_, op, wide_request.c_str(), nullptr);
  }));
}

Result<ComputeProcess> ComputeSystem::create_process(const std::string& parameters, EventHandler on_event) {
  std::wstring wide_parameters = to_wide(parameters);
  HCS_PROCESS handle = nullptr;
  HCS_PROCESS_INFORMATION info{};
  auto created = run_operation(
      *api_, "HcsCreateProcess in " + id_, deadlines_.start,
      [&](HCS_OPERATION op) { return api_->create_process(handle_, wide_parameters.c_str(), op, nullptr, &handle); },
      &info);
  if (!created && handle != nullptr) {
    // Seen on WS2022 process isolation (hcsshim System.createProcess): the create completes
    // synchronously and the wait fails spuriously although the process exists. Ask for its info;
    // if that fails too, the create's own error is the one worth reporting.
    auto recovered = run_operation(
        *api_, "HcsGetProcessInfo in " + id_, deadlines_.query,
        [&](HCS_OPERATION op) { return api_->get_process_info(handle, op); }, &info);
    if (recovered) created = std::string();
  }
  // The process object owns whatever HCS handed out, so every failure below still closes it all.
  ComputeProcess process(api_, handle, info, deadlines_.stop);
  if (!created) return created.error();
  if (handle == nullptr) return make_error(Errc::internal, "HcsCreateProcess in " + id_ + " returned no handle");
  SILO_TRY(process.watch(std::move(on_event)));
  return process;
}

}  // namespace silo::hcs::computecore
