// silod under the Service Control Manager. The daemon body is injected, so the same host runs silod
// and the test host (tests/windows/service_test_host.cpp).
//
// run_service() hands the thread to StartServiceCtrlDispatcher. ServiceMain reports START_PENDING,
// calls daemon.run, which reports RUNNING through its callback once it serves. The control handler
// answers STOP, SHUTDOWN and PRESHUTDOWN by reporting STOP_PENDING and calling daemon.request_stop,
// and returns at once: the SCM calls it on its dispatcher thread, which must never wait for the drain.
// While the daemon drains, STOP_PENDING is re-reported with a growing checkpoint every second, so the
// SCM sees progress. A non-zero exit code from daemon.run becomes ERROR_SERVICE_SPECIFIC_ERROR with
// that code, which `sc query` shows and the recovery actions react to.
//
// Started from a console instead, StartServiceCtrlDispatcher fails with
// ERROR_FAILED_SERVICE_CONTROLLER_CONNECT and run_service() says so: the caller then runs in the
// foreground (run_in_console, where Ctrl+C and closing the window ask the daemon to stop).
#pragma once

#include "core/errors.h"

#include <chrono>
#include <functional>
#include <string>

namespace silo::service::windows {

struct ServiceDaemon {
  // Serves until request_stop; calls report_running once it accepts requests. Returns 0 on a clean
  // stop, else a service-specific exit code (1..0xFFFF).
  std::function<int(const std::function<void()>& report_running)> run;
  // Must only signal and return; called from the SCM's handler thread or a console control thread.
  std::function<void()> request_stop;
};

enum class HostedBy { service_control_manager, console };

struct ServiceHostOptions {
  std::string name = "silod";
  // What STOP_PENDING tells the SCM to expect between two checkpoints.
  std::chrono::milliseconds stop_wait_hint{10'000};
};

// Runs the daemon as the service `options.name` until it stops; `console` when this process was not
// started by the SCM (nothing has run then). The exit code of a service run is reported to the SCM.
Result<HostedBy> run_service(const ServiceHostOptions& options, ServiceDaemon daemon);

// Runs the daemon in the foreground; Ctrl+C, Ctrl+Break and closing the console request a stop.
int run_in_console(ServiceDaemon daemon);

}  // namespace silo::service::windows
