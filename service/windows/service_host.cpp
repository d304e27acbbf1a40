#include "service/windows/service_host.h"

#include "core/logging.h"
#include "core/platform/windows/win32_error.h"

#include <windows.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace silo::service::windows {
namespace {

namespace win = silo::platform::windows;

std::wstring widen(const std::string& text) { return std::wstring(text.begin(), text.end()); }  // names are ASCII

// The state ServiceMain and the control handler share. ServiceMain receives no context argument from
// the SCM, so this one process-wide pointer is how it finds the host: set before the dispatcher
// starts, cleared after it returns, and never touched by anything else.
class ServiceState {
 public:
  ServiceState(ServiceHostOptions options, ServiceDaemon daemon) : options_(std::move(options)), daemon_(std::move(daemon)) {}

  void main() {
    const std::wstring name = widen(options_.name);
    handle_ = RegisterServiceCtrlHandlerExW(name.c_str(), &ServiceState::handler, this);
    if (!handle_) {
      logging::get("service")->error("{}", win::last_win32_error("RegisterServiceCtrlHandlerExW").message);
      return;
    }
    report(SERVICE_START_PENDING, NO_ERROR, 0);
    std::thread heartbeat([this] { beat_while_stopping(); });
    const int code = daemon_.run([this] { report(SERVICE_RUNNING, NO_ERROR, 0); });
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
    }
    changed_.notify_all();
    heartbeat.join();
    if (code != 0) logging::get("service")->error("silod stopped with exit code {}", code);
    report(SERVICE_STOPPED, code == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR, static_cast<DWORD>(code));
  }

  static ServiceState* current;

 private:
  static DWORD WINAPI handler(DWORD control, DWORD, void*, void* context) {
    auto* self = static_cast<ServiceState*>(context);
    switch (control) {
      case SERVICE_CONTROL_STOP:
      case SERVICE_CONTROL_SHUTDOWN:
      case SERVICE_CONTROL_PRESHUTDOWN:
        self->begin_stop(control);
        return NO_ERROR;
      case SERVICE_CONTROL_INTERROGATE:
        return NO_ERROR;
      default:
        return ERROR_CALL_NOT_IMPLEMENTED;
    }
  }

  void begin_stop(DWORD control) {
    {
      // Under the lock, so no STOP_PENDING can follow the STOPPED that main() reports.
      std::lock_guard lock(mutex_);
      if (stopping_ || finished_) return;
      stopping_ = true;
      report(SERVICE_STOP_PENDING, NO_ERROR, 0);
    }
    logging::get("service")->info("service control {}: stopping", control == SERVICE_CONTROL_STOP ? "STOP" : "SHUTDOWN");
    changed_.notify_all();
    daemon_.request_stop();
  }

  // Re-reports STOP_PENDING each second while the daemon drains, with the next checkpoint.
  void beat_while_stopping() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return stopping_ || finished_; });
    while (!finished_) {
      if (changed_.wait_for(lock, std::chrono::seconds(1), [this] { return finished_; })) break;
      lock.unlock();
      report(SERVICE_STOP_PENDING, NO_ERROR, 0);
      lock.lock();
    }
  }

  void report(DWORD state, DWORD win32_exit, DWORD specific_exit) {
    std::lock_guard lock(report_mutex_);
    SERVICE_STATUS status{};
    status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status.dwCurrentState = state;
    status.dwControlsAccepted =
        state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN | SERVICE_ACCEPT_PRESHUTDOWN : 0;
    status.dwWin32ExitCode = win32_exit;
    status.dwServiceSpecificExitCode = specific_exit;
    const bool pending = state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING;
    status.dwCheckPoint = pending ? ++checkpoint_ : 0;
    status.dwWaitHint = pending ? static_cast<DWORD>(options_.stop_wait_hint.count()) : 0;
    if (!pending) checkpoint_ = 0;
    if (!SetServiceStatus(handle_, &status)) {
      logging::get("service")->warn("{}", win::last_win32_error("SetServiceStatus").message);
    }
  }

  ServiceHostOptions options_;
  ServiceDaemon daemon_;
  SERVICE_STATUS_HANDLE handle_ = nullptr;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  bool finished_ = false;
  std::mutex report_mutex_;
  DWORD checkpoint_ = 0;
};

ServiceState* ServiceState::current = nullptr;

void WINAPI service_main(DWORD, LPWSTR*) {
  if (ServiceState::current) ServiceState::current->main();
}

// The console's stop request; the same single-pointer reason as ServiceState::current.
std::function<void()>* g_console_stop = nullptr;

BOOL WINAPI console_handler(DWORD event) {
  switch (event) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
    case CTRL_SHUTDOWN_EVENT:
      if (g_console_stop) (*g_console_stop)();
      return TRUE;
    default:
      return FALSE;
  }
}

}  // namespace

Result<HostedBy> run_service(const ServiceHostOptions& options, ServiceDaemon daemon) {
  ServiceState state(options, std::move(daemon));
  ServiceState::current = &state;
  std::wstring name = widen(options.name);
  SERVICE_TABLE_ENTRYW table[] = {{name.data(), &service_main}, {nullptr, nullptr}};
  const BOOL ok = StartServiceCtrlDispatcherW(table);
  const DWORD error = GetLastError();
  ServiceState::current = nullptr;
  if (ok) return HostedBy::service_control_manager;
  if (error == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) return HostedBy::console;
  return win::win32_error(Errc::internal, "StartServiceCtrlDispatcherW", error);
}

int run_in_console(ServiceDaemon daemon) {
  std::function<void()> stop = daemon.request_stop;
  g_console_stop = &stop;
  SetConsoleCtrlHandler(&console_handler, TRUE);
  const int code = daemon.run([] { logging::get("service")->info("running in the foreground; Ctrl+C stops"); });
  SetConsoleCtrlHandler(&console_handler, FALSE);
  g_console_stop = nullptr;
  return code;
}

}  // namespace silo::service::windows
