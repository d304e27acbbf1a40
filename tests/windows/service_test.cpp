// The Windows service host under Wine's service manager: silo's own register code creates the
// service around silo_service_test_host.exe (built beside this test), the SCM starts it, a client
// gets an HTTP answer over its pipe, STOP drains it to STOPPED with exit code 0, a failing daemon
// reports its service-specific exit code, and unregistering removes the service and its event-log
// source. Wine's services die with the wineserver; scripts/windows-cross-test.sh keeps one running.
#include "api/client/http_exchange.h"
#include "service/windows/default_paths.h"
#include "service/windows/service_host.h"
#include "service/windows/service_registration.h"
#include "tests/windows/pipe_test_server.h"
#include "tests/windows/scm_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <windows.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace silo::service::windows {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;

using test::open_service;
using test::ScHandle;
using test::wait_for_state;

std::filesystem::path beside_this_test(const wchar_t* file) {
  wchar_t self[MAX_PATH];
  GetModuleFileNameW(nullptr, self, MAX_PATH);
  return std::filesystem::path(self).parent_path() / file;
}

std::string unique_service_name(const char* what) {
  return std::string("silo-test-") + what + "-" + std::to_string(GetCurrentProcessId());
}

ServiceRegistration registration_for(const std::string& name, const std::string& pipe, const std::string& extra = {}) {
  ServiceRegistration registration;
  registration.name = name;
  registration.display_name = "silo service test " + name;
  const auto data_root = std::filesystem::temp_directory_path() / name;
  registration.command_line = "\"" + beside_this_test(L"silo_service_test_host.exe").string() + "\" --service-name " +
                              name + " --pipe " + pipe + " --data-root \"" + data_root.string() + "\"" + extra;
  return registration;
}

bool event_source_exists(const std::string& name) {
  const std::string key = event_log_source_key(name);
  const std::wstring wide(key.begin(), key.end());
  HKEY handle = nullptr;
  if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, wide.c_str(), 0, KEY_READ, &handle) != ERROR_SUCCESS) return false;
  RegCloseKey(handle);
  return true;
}

client::ClientResult<client::HttpResponse> get_version(const std::string& host) {
  auto endpoint = client::parse_host(host);
  EXPECT_TRUE(endpoint);
  client::HttpExchange exchange(*endpoint, client::Timeouts{}, "service-test");
  client::HttpRequest request;
  request.target = "/v1/version";
  return exchange.send(request);
}

// Unregisters at the end of a test whatever happened in it.
struct Unregister {
  std::string name;
  ~Unregister() {
    (void)unregister_service(name);
    std::error_code ignored;
    std::filesystem::remove_all(std::filesystem::temp_directory_path() / name, ignored);  // its data root
  }
};

TEST(ServiceHost, RegisterStartServeStopUnregister) {
  const std::string name = unique_service_name("svc");
  const std::string pipe = test::unique_pipe_path();
  auto registered = register_service(registration_for(name, pipe));
  ASSERT_TRUE(registered) << registered.error().message;
  Unregister cleanup{name};
  EXPECT_TRUE(event_source_exists(name));

  ScHandle service = open_service(name);
  ASSERT_TRUE(service) << "OpenServiceW: " << GetLastError();
  ASSERT_TRUE(StartServiceW(service.get(), 0, nullptr)) << "StartServiceW: " << GetLastError();
  auto running = wait_for_state(service.get(), SERVICE_RUNNING);
  ASSERT_EQ(running.dwCurrentState, static_cast<DWORD>(SERVICE_RUNNING));
  EXPECT_EQ(running.dwControlsAccepted & SERVICE_ACCEPT_STOP, static_cast<DWORD>(SERVICE_ACCEPT_STOP));

  auto answer = get_version("npipe:////./pipe/" + pipe.substr(9));
  ASSERT_TRUE(answer) << answer.error().error.message;
  EXPECT_EQ(answer->head.status, 200);
  EXPECT_THAT(answer->body, HasSubstr("service-test"));

  SERVICE_STATUS status{};
  ASSERT_TRUE(ControlService(service.get(), SERVICE_CONTROL_STOP, &status)) << "ControlService: " << GetLastError();
  auto stopped = wait_for_state(service.get(), SERVICE_STOPPED);
  ASSERT_EQ(stopped.dwCurrentState, static_cast<DWORD>(SERVICE_STOPPED));
  EXPECT_EQ(stopped.dwWin32ExitCode, static_cast<DWORD>(NO_ERROR));

  // Under the SCM the daemon logs to the rotating file under its data root.
  std::ifstream log(std::filesystem::temp_directory_path() / name / "logs" / "silod.log");
  const std::string lines((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_THAT(lines, HasSubstr("GET /v1/version 200"));
  EXPECT_THAT(lines, HasSubstr("service control STOP: stopping"));

  service.reset();
  auto removed = unregister_service(name);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_FALSE(open_service(name));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_SERVICE_DOES_NOT_EXIST));
  EXPECT_FALSE(event_source_exists(name));
}

TEST(ServiceHost, RegistrationSetsRecoveryActions) {
  const std::string name = unique_service_name("recovery");
  auto registered = register_service(registration_for(name, test::unique_pipe_path()));
  ASSERT_TRUE(registered) << registered.error().message;
  Unregister cleanup{name};
  ScHandle service = open_service(name);
  ASSERT_TRUE(service);
  std::vector<BYTE> buffer(8192);
  DWORD needed = 0;
  // Wine 8 does not know SERVICE_CONFIG_FAILURE_ACTIONS_FLAG (ERROR_INVALID_LEVEL, 124); Windows
  // knows every setting. Anything else reported would be a setting silently missing.
  for (const auto& unsupported : registered->unsupported_settings) {
    EXPECT_THAT(unsupported, HasSubstr("SERVICE_CONFIG_FAILURE_ACTIONS_FLAG"));
    EXPECT_THAT(unsupported, HasSubstr("Win32 error 124"));
  }
  if (!QueryServiceConfig2W(service.get(), SERVICE_CONFIG_FAILURE_ACTIONS, buffer.data(),
                            static_cast<DWORD>(buffer.size()), &needed)) {
    // Wine 8 stores the actions but cannot read them back: QueryServiceConfig2W answers
    // ERROR_INVALID_LEVEL for SERVICE_CONFIG_FAILURE_ACTIONS. Windows returns them.
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_LEVEL)) << "QueryServiceConfig2W failed otherwise";
    return;
  }
  const auto* actions = reinterpret_cast<const SERVICE_FAILURE_ACTIONSW*>(buffer.data());
  EXPECT_EQ(actions->dwResetPeriod, 86'400u);
  ASSERT_EQ(actions->cActions, 3u);
  EXPECT_EQ(actions->lpsaActions[0].Type, SC_ACTION_RESTART);
  EXPECT_EQ(actions->lpsaActions[0].Delay, 15'000u);
  EXPECT_EQ(actions->lpsaActions[1].Type, SC_ACTION_RESTART);
  EXPECT_EQ(actions->lpsaActions[2].Type, SC_ACTION_NONE);
}

TEST(ServiceHost, FailingDaemonReportsItsServiceSpecificExitCode) {
  const std::string name = unique_service_name("fail");
  auto registered = register_service(registration_for(name, test::unique_pipe_path(), " --fail-code 42"));
  ASSERT_TRUE(registered) << registered.error().message;
  Unregister cleanup{name};
  ScHandle service = open_service(name);
  ASSERT_TRUE(service);
  ASSERT_TRUE(StartServiceW(service.get(), 0, nullptr)) << "StartServiceW: " << GetLastError();
  auto stopped = wait_for_state(service.get(), SERVICE_STOPPED);
  ASSERT_EQ(stopped.dwCurrentState, static_cast<DWORD>(SERVICE_STOPPED));
  EXPECT_EQ(stopped.dwWin32ExitCode, static_cast<DWORD>(ERROR_SERVICE_SPECIFIC_ERROR));
  EXPECT_EQ(stopped.dwServiceSpecificExitCode, 42u);
}

TEST(ServiceHost, RegisteringAnExistingNameFailsWithoutTouchingIt) {
  const std::string name = unique_service_name("twice");
  ASSERT_TRUE(register_service(registration_for(name, test::unique_pipe_path())));
  Unregister cleanup{name};
  auto again = register_service(registration_for(name, test::unique_pipe_path()));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::already_exists);
  EXPECT_TRUE(open_service(name)) << "the first registration must survive";
}

TEST(ServiceHost, NotStartedByTheScmItSaysConsole) {
  bool ran = false;
  ServiceDaemon daemon{[&ran](const std::function<void()>&) {
                         ran = true;
                         return 0;
                       },
                       [] {}};
  auto hosted = run_service({"silo-test-console", std::chrono::milliseconds(1000)}, daemon);
  ASSERT_TRUE(hosted) << hosted.error().message;
  EXPECT_EQ(*hosted, HostedBy::console);
  EXPECT_FALSE(ran);
}

TEST(WindowsDefaults, ProgramDataSiloAndThePipe) {
  auto defaults = windows_defaults();
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_THAT(defaults->data_root.string(), EndsWith("ProgramData\\silo"));
  EXPECT_THAT(defaults->config_file.string(), EndsWith("ProgramData\\silo\\silod.json"));
  EXPECT_EQ(defaults->host, "npipe:////./pipe/silod");
}

}  // namespace
}  // namespace silo::service::windows
