#include "service/windows/service_registration.h"

#include "core/platform/windows/win32_error.h"

#include <windows.h>

#include <memory>

namespace silo::service::windows {
namespace {

namespace win = silo::platform::windows;

std::wstring widen(const std::string& text) {
  if (text.empty()) return {};
  const int chars = MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(chars > 0 ? chars : 0), L'\0');
  if (chars > 0) MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), chars);
  return out;
}

struct ScHandleCloser {
  void operator()(SC_HANDLE handle) const noexcept { CloseServiceHandle(handle); }
};
using ScHandle = std::unique_ptr<std::remove_pointer_t<SC_HANDLE>, ScHandleCloser>;

Result<ScHandle> open_manager() {
  ScHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_ALL_ACCESS));
  if (!manager) return win::last_win32_error("OpenSCManagerW (registering a service needs an administrator)");
  return manager;
}

// One ChangeServiceConfig2W call; a level this system does not know is noted, not fatal.
Result<void> change_config(SC_HANDLE service, DWORD level, void* info, const char* setting, RegistrationReport& report) {
  if (ChangeServiceConfig2W(service, level, info)) return {};
  const DWORD error = GetLastError();
  const Error failure = win::win32_error(Errc::internal, std::string("ChangeServiceConfig2W(") + setting + ")", error);
  if (error != ERROR_INVALID_LEVEL) return failure;
  report.unsupported_settings.push_back(failure.message);
  return {};
}

Result<void> configure_recovery(SC_HANDLE service, const ServiceRegistration& registration, RegistrationReport& report) {
  // Restart after 15 s, twice; a third failure within a day leaves it stopped for someone to look.
  SC_ACTION actions[] = {{SC_ACTION_RESTART, 15'000}, {SC_ACTION_RESTART, 15'000}, {SC_ACTION_NONE, 0}};
  SERVICE_FAILURE_ACTIONSW failure{};
  failure.dwResetPeriod = 86'400;
  failure.cActions = 3;
  failure.lpsaActions = actions;
  SILO_TRY(change_config(service, SERVICE_CONFIG_FAILURE_ACTIONS, &failure, "SERVICE_CONFIG_FAILURE_ACTIONS", report));
  // Run the recovery actions also when the service stops itself with a non-zero exit code.
  SERVICE_FAILURE_ACTIONS_FLAG flag{TRUE};
  SILO_TRY(change_config(service, SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &flag, "SERVICE_CONFIG_FAILURE_ACTIONS_FLAG", report));
  SERVICE_PRESHUTDOWN_INFO preshutdown{static_cast<DWORD>(registration.preshutdown_timeout.count())};
  SILO_TRY(change_config(service, SERVICE_CONFIG_PRESHUTDOWN_INFO, &preshutdown, "SERVICE_CONFIG_PRESHUTDOWN_INFO", report));
  std::wstring description = widen(registration.description);
  SERVICE_DESCRIPTIONW text{description.data()};
  SILO_TRY(change_config(service, SERVICE_CONFIG_DESCRIPTION, &text, "SERVICE_CONFIG_DESCRIPTION", report));
  return {};
}

Result<void> add_event_source(const ServiceRegistration& registration) {
  const std::wstring key = widen(event_log_source_key(registration.name));
  HKEY handle = nullptr;
  LSTATUS rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, key.c_str(), 0, nullptr, 0, KEY_SET_VALUE, nullptr, &handle, nullptr);
  if (rc != ERROR_SUCCESS) return win::win32_error(Errc::permission_denied, "create the event log source key", static_cast<DWORD>(rc));
  // The message table is in the registering executable (silod.exe: windows/silod_messages.mc).
  wchar_t self[MAX_PATH];
  const DWORD length = GetModuleFileNameW(nullptr, self, MAX_PATH);
  const DWORD types = EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE;
  rc = RegSetValueExW(handle, L"EventMessageFile", 0, REG_EXPAND_SZ, reinterpret_cast<const BYTE*>(self),
                      (length + 1) * sizeof(wchar_t));
  if (rc == ERROR_SUCCESS) {
    rc = RegSetValueExW(handle, L"TypesSupported", 0, REG_DWORD, reinterpret_cast<const BYTE*>(&types), sizeof(types));
  }
  RegCloseKey(handle);
  if (rc != ERROR_SUCCESS) return win::win32_error(Errc::internal, "write the event log source values", static_cast<DWORD>(rc));
  return {};
}

// Asks a running service to stop and waits (bounded) for it; DeleteService alone only marks it.
void stop_if_running(SC_HANDLE service) {
  SERVICE_STATUS status{};
  if (!ControlService(service, SERVICE_CONTROL_STOP, &status)) return;
  for (int i = 0; i < 300 && status.dwCurrentState != SERVICE_STOPPED; ++i) {
    Sleep(100);
    if (!QueryServiceStatus(service, &status)) return;
  }
}

}  // namespace

std::string event_log_source_key(const std::string& name) {
  return "SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\" + name;
}

Result<RegistrationReport> register_service(const ServiceRegistration& registration) {
  auto manager = open_manager();
  if (!manager) return manager.error();
  const std::wstring name = widen(registration.name);
  const std::wstring display = widen(registration.display_name);
  const std::wstring command = widen(registration.command_line);
  ScHandle service(CreateServiceW(manager->get(), name.c_str(), display.c_str(), SERVICE_ALL_ACCESS,
                                  SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL,
                                  command.c_str(), nullptr, nullptr, nullptr, nullptr, nullptr));
  if (!service) return win::last_win32_error("CreateServiceW " + registration.name);
  RegistrationReport report;
  auto configured = configure_recovery(service.get(), registration, report);
  if (configured) configured = add_event_source(registration);
  if (!configured) {
    DeleteService(service.get());  // no half-registered service left behind
    return configured.error();
  }
  return report;
}

Result<void> unregister_service(const std::string& name) {
  auto manager = open_manager();
  if (!manager) return manager.error();
  const std::wstring wide = widen(name);
  ScHandle service(OpenServiceW(manager->get(), wide.c_str(), SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE));
  if (!service) return win::last_win32_error("OpenServiceW " + name);
  stop_if_running(service.get());
  if (!DeleteService(service.get())) return win::last_win32_error("DeleteService " + name);
  const std::wstring key = widen(event_log_source_key(name));
  const LSTATUS rc = RegDeleteKeyW(HKEY_LOCAL_MACHINE, key.c_str());
  if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND) {
    return win::win32_error(Errc::internal, "remove the event log source of " + name, static_cast<DWORD>(rc));
  }
  return {};
}

}  // namespace silo::service::windows
