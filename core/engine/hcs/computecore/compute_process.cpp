#include "core/engine/hcs/computecore/compute_process.h"

#include "core/engine/hcs/computecore/operation.h"
#include "core/engine/hcs/computecore/wide_text.h"
#include "core/engine/hcs/documents/results.h"

#include <nlohmann/json.hpp>

namespace silo::hcs::computecore {

UniqueHandle& UniqueHandle::operator=(UniqueHandle&& other) noexcept {
  if (this != &other) {
    UniqueHandle old(release());
    handle_ = other.release();
  }
  return *this;
}

UniqueHandle::~UniqueHandle() {
  if (*this) CloseHandle(handle_);
}

HANDLE UniqueHandle::release() {
  HANDLE out = handle_;
  handle_ = nullptr;
  return out;
}

ComputeProcess::ComputeProcess(std::shared_ptr<const ComputeCoreApi> api, HCS_PROCESS handle,
                               const HCS_PROCESS_INFORMATION& info, std::chrono::milliseconds deadline)
    : api_(std::move(api)),
      handle_(handle),
      pid_(info.ProcessId),
      stdin_(info.StdInput),
      stdout_(info.StdOutput),
      stderr_(info.StdError),
      deadline_(deadline) {}

ComputeProcess::ComputeProcess(ComputeProcess&& other) noexcept
    : api_(std::move(other.api_)),
      handle_(other.handle_),
      pid_(other.pid_),
      stdin_(std::move(other.stdin_)),
      stdout_(std::move(other.stdout_)),
      stderr_(std::move(other.stderr_)),
      callback_id_(other.callback_id_),
      deadline_(other.deadline_) {
  other.handle_ = nullptr;
  other.callback_id_ = 0;
}

ComputeProcess::~ComputeProcess() {
  // Close first: HCS drains the callbacks in flight, so none runs after the handler is gone.
  if (handle_ != nullptr) api_->close_process(handle_);
  if (callback_id_ != 0) CallbackRegistry::instance().remove(callback_id_);
}

Result<void> ComputeProcess::watch(EventHandler on_event) {
  std::uintptr_t id = CallbackRegistry::instance().add(std::move(on_event));
  HRESULT hr = api_->set_process_callback(handle_, HcsEventOptionNone, reinterpret_cast<void*>(id),
                                          &CallbackRegistry::on_event);
  if (FAILED(hr)) {
    CallbackRegistry::instance().remove(id);
    return operation_error("HcsSetProcessCallback pid " + std::to_string(pid_), hr, {});
  }
  callback_id_ = id;
  return {};
}

Result<void> ComputeProcess::signal(const std::string& ctrl_event) {
  std::wstring options = to_wide(nlohmann::json{{"Signal", ctrl_event}}.dump());
  auto result = run_operation(*api_, "HcsSignalProcess pid " + std::to_string(pid_), deadline_,
                              [&](HCS_OPERATION op) { return api_->signal_process(handle_, op, options.c_str()); });
  if (!result) return result.error();
  return {};
}

Result<void> ComputeProcess::terminate() {
  auto result = run_operation(*api_, "HcsTerminateProcess pid " + std::to_string(pid_), deadline_,
                              [&](HCS_OPERATION op) { return api_->terminate_process(handle_, op, nullptr); });
  if (!result && result.error().code == Errc::failed_precondition) return {};  // already exited
  if (!result) return result.error();
  return {};
}

Result<void> ComputeProcess::close_stdin() {
  std::wstring request = to_wide(R"({"Operation":"CloseHandle","CloseHandle":{"Handle":"StdIn"}})");
  auto result = run_operation(*api_, "HcsModifyProcess pid " + std::to_string(pid_), deadline_,
                              [&](HCS_OPERATION op) { return api_->modify_process(handle_, op, request.c_str()); });
  if (!result) return result.error();
  return {};
}

}  // namespace silo::hcs::computecore
