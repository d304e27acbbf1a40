#include "core/engine/hcs/computecore/operation.h"

#include "core/engine/hcs/computecore/wide_text.h"
#include "core/engine/hcs/documents/results.h"
#include "core/platform/windows/win32_error.h"

#include <algorithm>

namespace silo::hcs::computecore {

Error operation_error(std::string_view what, HRESULT hr, const std::string& document) {
  return hcs_error(what, hr, document, platform::windows::system_message(static_cast<std::uint32_t>(hr)));
}

Result<std::string> run_operation(const ComputeCoreApi& api, std::string_view what, std::chrono::milliseconds deadline,
                                  const HcsCall& call, HCS_PROCESS_INFORMATION* process_info) {
  HCS_OPERATION handle = api.create_operation(nullptr, nullptr);
  if (handle == nullptr) return make_error(Errc::resource_exhausted, std::string(what) + ": HcsCreateOperation failed");
  UniqueOperation operation(api, handle);

  HRESULT hr = call(operation.get());
  if (FAILED(hr)) return operation_error(what, hr, {});

  // INFINITE is never passed: a deadline below it keeps every wait bounded.
  auto milliseconds = static_cast<DWORD>(std::clamp<std::int64_t>(deadline.count(), 0, INFINITE - 1));
  PWSTR raw = nullptr;
  hr = process_info != nullptr
           ? api.wait_for_operation_result_and_process_info(operation.get(), milliseconds, process_info, &raw)
           : api.wait_for_operation_result(operation.get(), milliseconds, &raw);
  std::string document = take_document(raw);
  if (hr == hresult::kOperationTimeout) {
    api.cancel_operation(operation.get());
    return make_error(Errc::unavailable, std::string(what) + " did not finish within " +
                                             std::to_string(deadline.count()) + " ms; the operation was cancelled");
  }
  if (FAILED(hr)) return operation_error(what, hr, document);
  return document;
}

}  // namespace silo::hcs::computecore
