// `silod --register-service` / `--unregister-service`: the service entry in the SCM and the event
// log source silod's warnings and errors go to.
//
// Registration creates an auto-start service running as LocalSystem, with recovery actions (restart
// after 15 s, twice; then nothing; the failure count resets after a day), a preshutdown timeout so
// the daemon drains before the system stops, and the event-log source
// HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\<name>. Unregistering stops a running
// service, deletes it and removes the source.
#pragma once

#include "core/errors.h"

#include <chrono>
#include <string>
#include <vector>

namespace silo::service::windows {

struct ServiceRegistration {
  std::string name = "silod";
  std::string display_name = "silo container host";
  std::string description = "Runs containers and serves the silo API on \\\\.\\pipe\\silod.";
  // The full command line the SCM starts: "\"C:\\Program Files\\silo\\silod.exe\" --service".
  std::string command_line;
  std::chrono::milliseconds preshutdown_timeout{60'000};
};

// What registration could not set because this system does not know the setting at all
// (ChangeServiceConfig2 answers ERROR_INVALID_LEVEL: Wine 8 lacks SERVICE_CONFIG_FAILURE_ACTIONS_FLAG).
// Each entry names the setting and the system's error; silod prints them as warnings. Any other
// failure fails the registration and leaves no service behind.
struct RegistrationReport {
  std::vector<std::string> unsupported_settings;
};

Result<RegistrationReport> register_service(const ServiceRegistration& registration);
Result<void> unregister_service(const std::string& name);

// The registry key of the event-log source: "SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\<name>".
std::string event_log_source_key(const std::string& name);

}  // namespace silo::service::windows
