// One HCS call with its own HCS_OPERATION, as hcsshim does it: create the operation, make the call,
// wait for the result with a deadline, and close the operation on every path. When the deadline
// passes, HcsCancelOperation asks HCS to give up (documented as not implemented on some builds,
// so its answer is ignored) and the caller gets `unavailable` naming the call and the deadline.
#pragma once

#include "core/engine/hcs/computecore/compute_core_api.h"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace silo::hcs::computecore {

// Owns an HCS_OPERATION; HcsCloseOperation in the destructor.
class UniqueOperation {
 public:
  UniqueOperation(const ComputeCoreApi& api, HCS_OPERATION handle) : api_(&api), handle_(handle) {}
  UniqueOperation(const UniqueOperation&) = delete;
  UniqueOperation& operator=(const UniqueOperation&) = delete;
  ~UniqueOperation() {
    if (handle_ != nullptr) api_->close_operation(handle_);
  }
  HCS_OPERATION get() const { return handle_; }

 private:
  const ComputeCoreApi* api_;
  HCS_OPERATION handle_;
};

using HcsCall = std::function<HRESULT(HCS_OPERATION)>;

// Runs `call` and returns HCS's result document. `what` names the call in errors
// ("HcsStartComputeSystem web"). `process_info`, when given, is filled from
// HcsWaitForOperationResultAndProcessInfo (for HcsCreateProcess).
Result<std::string> run_operation(const ComputeCoreApi& api, std::string_view what, std::chrono::milliseconds deadline,
                                  const HcsCall& call, HCS_PROCESS_INFORMATION* process_info = nullptr);

// The error for a failed HRESULT with HCS's result document (may be empty).
Error operation_error(std::string_view what, HRESULT hr, const std::string& document);

}  // namespace silo::hcs::computecore
