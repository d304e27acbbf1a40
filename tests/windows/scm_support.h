// What the service tests need from the Service Control Manager: a handle type, opening a service by
// name, and waiting (bounded) for a state.
#pragma once

#include <windows.h>

#include <memory>
#include <string>
#include <type_traits>

namespace silo::test {

struct ScCloser {
  void operator()(SC_HANDLE handle) const noexcept { CloseServiceHandle(handle); }
};
using ScHandle = std::unique_ptr<std::remove_pointer_t<SC_HANDLE>, ScCloser>;

// Null when there is no such service (GetLastError says why).
ScHandle open_service(const std::string& name);

// Polls (bounded: 60 s) until the service reaches `state`; returns the last status seen.
SERVICE_STATUS_PROCESS wait_for_state(SC_HANDLE service, DWORD state);

}  // namespace silo::test
