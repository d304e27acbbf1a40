#include "tests/windows/scm_support.h"

namespace silo::test {

ScHandle open_service(const std::string& name) {
  ScHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
  if (!manager) return nullptr;
  const std::wstring wide(name.begin(), name.end());
  return ScHandle(OpenServiceW(manager.get(), wide.c_str(), SERVICE_ALL_ACCESS));
}

SERVICE_STATUS_PROCESS wait_for_state(SC_HANDLE service, DWORD state) {
  SERVICE_STATUS_PROCESS status{};
  for (int i = 0; i < 600; ++i) {
    DWORD needed = 0;
    if (!QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status), sizeof(status), &needed)) break;
    if (status.dwCurrentState == state) break;
    Sleep(100);
  }
  return status;
}

}  // namespace silo::test
