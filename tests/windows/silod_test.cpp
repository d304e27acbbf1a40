// silod.exe itself under Wine: the real daemon (SQLite store, named pipe, job-object HostProcess
// backend) started from a console and as a service through Wine's service manager, driven over its
// pipe by silo's client library and by siloctl.exe.
//
// Silod.*        console runs; they share the suite's persistent wineserver.
// SilodService.* registered with `silod.exe --register-service`, started and stopped by the SCM;
//                scripts/windows-cross-test.sh runs them with the ServiceHost tests (a wineserver
//                per test, see there).
#include "api/client/http_exchange.h"
#include "api/transport/windows/pipe_security.h"
#include "tests/unit/layers/tar_builder.h"
#include "tests/windows/pipe_test_server.h"
#include "tests/windows/scm_support.h"
#include "tests/windows/raw_pipe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <windows.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace silo {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

fs::path beside_this_test(const wchar_t* file) {
  wchar_t self[MAX_PATH];
  GetModuleFileNameW(nullptr, self, MAX_PATH);
  return fs::path(self).parent_path() / file;
}

std::wstring widen(const std::string& text) { return std::wstring(text.begin(), text.end()); }

// A child process whose stdout and stderr go to one file under the temp folder; killed at the end
// of the test if it still runs.
// The token of a process that is not an administrator: this one's with Administrators made
// deny-only (CreateRestrictedToken), as a member of the pipe's other groups has; null on failure.
HANDLE non_admin_token() {
  HANDLE own = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ALL_ACCESS, &own)) return nullptr;
  BYTE admins[SECURITY_MAX_SID_SIZE];
  DWORD admins_size = sizeof(admins);
  HANDLE restricted = nullptr;
  HANDLE primary = nullptr;
  SID_AND_ATTRIBUTES disable{admins, 0};
  if (CreateWellKnownSid(WinBuiltinAdministratorsSid, nullptr, admins, &admins_size) &&
      CreateRestrictedToken(own, 0, 1, &disable, 0, nullptr, 0, nullptr, &restricted)) {
    DuplicateTokenEx(restricted, TOKEN_ALL_ACCESS, nullptr, SecurityImpersonation, TokenPrimary, &primary);
  }
  if (restricted) CloseHandle(restricted);
  CloseHandle(own);
  return primary;
}

enum class As { this_account, non_admin };

class Child {
 public:
  Child(const fs::path& exe, const std::string& args, const std::string& tag, As as = As::this_account)
      : output_(fs::temp_directory_path() / (tag + ".out")) {
    SECURITY_ATTRIBUTES inherit{sizeof(inherit), nullptr, TRUE};
    HANDLE out = CreateFileW(output_.wstring().c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit,
                             CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    STARTUPINFOW startup{};
    startup.cb = sizeof(startup);
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdOutput = out;
    startup.hStdError = out;
    startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    std::wstring command = L"\"" + exe.wstring() + L"\" " + widen(args);
    PROCESS_INFORMATION info{};
    HANDLE token = as == As::non_admin ? non_admin_token() : nullptr;
    bool created = as == As::non_admin
                       ? token && CreateProcessAsUserW(token, nullptr, command.data(), nullptr, nullptr, TRUE,
                                                       CREATE_NEW_PROCESS_GROUP, nullptr, nullptr, &startup, &info)
                       : CreateProcessW(nullptr, command.data(), nullptr, nullptr, TRUE, CREATE_NEW_PROCESS_GROUP,
                                        nullptr, nullptr, &startup, &info);
    if (created) {
      process_ = info.hProcess;
      CloseHandle(info.hThread);
    }
    if (token) CloseHandle(token);
    CloseHandle(out);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (!process_) return;
    if (WaitForSingleObject(process_, 0) == WAIT_TIMEOUT) TerminateProcess(process_, 1);
    WaitForSingleObject(process_, 10000);
    CloseHandle(process_);
  }

  bool started() const { return process_ != nullptr; }

  // The exit code, or nullopt when it still runs after `limit`.
  std::optional<DWORD> wait(std::chrono::milliseconds limit) {
    if (!process_ || WaitForSingleObject(process_, static_cast<DWORD>(limit.count())) != WAIT_OBJECT_0) return std::nullopt;
    DWORD code = 0;
    GetExitCodeProcess(process_, &code);
    return code;
  }

  std::string output() const {
    std::string text;
    HANDLE file = CreateFileW(output_.wstring().c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE) return text;
    char buffer[4096];
    DWORD read = 0;
    while (text.size() < (1u << 20) && ReadFile(file, buffer, sizeof(buffer), &read, nullptr) && read > 0) text.append(buffer, read);
    CloseHandle(file);
    return text;
  }

 private:
  fs::path output_;
  HANDLE process_ = nullptr;
};

// Runs silod.exe or siloctl.exe to its end (bounded: 120 s) and returns {exit code, output}.
std::pair<DWORD, std::string> run_to_end(const wchar_t* exe, const std::string& args, const std::string& tag) {
  const fs::path path(exe);
  Child child(path.is_absolute() ? path : beside_this_test(exe), args, tag);
  EXPECT_TRUE(child.started()) << "CreateProcessW: " << GetLastError();
  auto code = child.wait(std::chrono::seconds(120));
  EXPECT_TRUE(code) << "did not finish in 120 s";
  return {code.value_or(~0u), child.output()};
}

struct Api {
  std::string host;  // npipe:////./pipe/NAME

  client::ClientResult<client::HttpResponse> call(const std::string& method, const std::string& target,
                                                  const std::string& body = {}) const {
    auto endpoint = client::parse_host(host);
    if (!endpoint) return client::unreachable(endpoint.error());
    client::HttpExchange exchange(*endpoint, client::Timeouts{std::chrono::milliseconds(2000), std::chrono::seconds(60)},
                                  "silod-test");
    client::HttpRequest request;
    request.method = method;
    request.target = target;
    if (!body.empty()) {
      request.body = body;
      request.content_type = "application/json";
    }
    return exchange.send(request);
  }

  nlohmann::json json(const std::string& method, const std::string& target, const std::string& body = {}) const {
    auto answer = call(method, target, body);
    EXPECT_TRUE(answer) << method << " " << target << ": " << (answer ? "" : answer.error().error.message);
    if (!answer) return nullptr;
    EXPECT_LT(answer->head.status, 300) << method << " " << target << ": " << answer->body;
    return nlohmann::json::parse(answer->body, nullptr, false);
  }

  // Polls /_ping until silod answers (bounded: 60 s).
  bool wait_until_serving() const {
    for (int i = 0; i < 300; ++i) {
      auto answer = call("GET", "/_ping");
      if (answer && answer->head.status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

  // Creates, starts and waits for a HostProcess container; returns its id.
  std::string run_hostprocess(const std::vector<std::string>& command) const {
    nlohmann::json spec{{"isolation", "hostprocess"}, {"command", command}};
    auto created = json("POST", "/v1/containers", spec.dump());
    if (!created.is_object() || !created.contains("id")) return "";
    const std::string id = created["id"];
    json("POST", "/v1/containers/" + id + "/start");
    return id;
  }
};

std::string pipe_host(const std::string& pipe_path) { return "npipe:////./pipe/" + pipe_path.substr(9); }

struct TempRoot {
  fs::path path;
  explicit TempRoot(const std::string& name) : path(fs::temp_directory_path() / name) {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  ~TempRoot() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

TEST(Silod, VersionAndHelpNameTheWindowsDefaults) {
  auto [code, version] = run_to_end(L"silod.exe", "--version", "silod-version");
  EXPECT_EQ(code, 0u);
  EXPECT_THAT(version, HasSubstr("silod version"));
  auto [help_code, help] = run_to_end(L"silod.exe", "--help", "silod-help");
  EXPECT_EQ(help_code, 0u);
  EXPECT_THAT(help, HasSubstr("--host npipe:////./pipe/silod"));
  EXPECT_THAT(help, HasSubstr("silo"));  // %ProgramData%\silo
  EXPECT_THAT(help, HasSubstr("--register-service"));
}

// The event-log source's EventMessageFile is silod.exe: its message table turns event id 1 into the
// entry's own text (what the event viewer does with ReportEvent's strings).
TEST(Silod, CarriesTheEventLogMessageTable) {
  HMODULE module = LoadLibraryExW(beside_this_test(L"silod.exe").wstring().c_str(), nullptr, LOAD_LIBRARY_AS_DATAFILE);
  ASSERT_NE(module, nullptr) << "LoadLibraryExW: " << GetLastError();
  const std::wstring insert = L"container 1234 could not start";
  DWORD_PTR inserts[] = {reinterpret_cast<DWORD_PTR>(insert.c_str())};  // FORMAT_MESSAGE_ARGUMENT_ARRAY's shape
  wchar_t text[256] = {};
  const DWORD length = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ARGUMENT_ARRAY, module, 1, 0x409, text, 256,
                                      reinterpret_cast<va_list*>(inserts));
  FreeLibrary(module);
  ASSERT_GT(length, 0u) << "FormatMessageW: " << GetLastError();
  EXPECT_EQ(std::wstring(text).substr(0, 30), L"container 1234 could not start");
}

TEST(Silod, RefusesWhatWindowsCannotServeAndSaysWhy) {
  std::error_code ignored;
  fs::remove_all("C:\\silo-test-none", ignored);
  auto [unix_code, unix_text] = run_to_end(L"silod.exe", "--host unix:///tmp/x.sock --data-root C:\\silo-test-none", "silod-unix");
  EXPECT_EQ(unix_code, 1u);
  EXPECT_THAT(unix_text, HasSubstr("unix:// sockets are not served on Windows; use npipe:////./pipe/NAME"));
  auto [tcp_code, tcp_text] = run_to_end(L"silod.exe", "--host tcp://127.0.0.1:23750 --data-root C:\\silo-test-none", "silod-tcp");
  EXPECT_EQ(tcp_code, 1u);
  EXPECT_THAT(tcp_text, HasSubstr("tcp:// hosts need TLS, which this build of silod does not have"));
  auto [group_code, group_text] = run_to_end(L"silod.exe", "--admin-group wheel --data-root C:\\silo-test-none", "silod-group");
  EXPECT_EQ(group_code, 1u);
  EXPECT_THAT(group_text, HasSubstr("admin-group is not used on Windows"));
  // The pipe's extra account must exist: an unknown one stops startup with its name.
  const std::string pipe = test::unique_pipe_path();
  auto [group_pipe_code, group_pipe_text] = run_to_end(
      L"silod.exe", "--host " + pipe_host(pipe) + " --pipe-groups Users --pipe-groups no-such-group-xyz --data-root C:\\silo-test-none",
      "silod-pipe-group");
  EXPECT_EQ(group_pipe_code, 1u);
  EXPECT_THAT(group_pipe_text, HasSubstr("no-such-group-xyz"));
  auto [root_code, root_text] = run_to_end(L"silod.exe", "--data-root relative\\folder", "silod-root");
  EXPECT_EQ(root_code, 1u);
  EXPECT_THAT(root_text, HasSubstr("must be an absolute path"));
  EXPECT_FALSE(fs::exists("C:\\silo-test-none", ignored)) << "a refused start created its data root";
}

// One console silod: /v1/info, a HostProcess container through the client library and through
// siloctl.exe, and a second silod on the same data root refused with the first one's pid.
TEST(Silod, ServesThePipeRunsHostProcessContainersAndOwnsItsDataRoot) {
  TempRoot root("silod-console-" + std::to_string(GetCurrentProcessId()));
  const std::string pipe = test::unique_pipe_path();
  Child silod(beside_this_test(L"silod.exe"),
              "--host " + pipe_host(pipe) + " --pipe-groups Users --data-root \"" + root.path.string() + "\"", "silod-console");
  ASSERT_TRUE(silod.started());
  Api api{pipe_host(pipe)};
  ASSERT_TRUE(api.wait_until_serving()) << silod.output();

  // The pipe object's DACL: Administrators and SYSTEM, and read/write for pipe-groups' Users (BU).
  {
    test::RawPipe client(pipe);
    ASSERT_TRUE(client.connected());
    auto dacl = api::windows::handle_dacl_sddl(client.handle());
    ASSERT_TRUE(dacl) << dacl.error().message;
    EXPECT_THAT(*dacl, ::testing::AnyOf("D:P(A;;GA;;;BA)(A;;GA;;;SY)(A;;GRGW;;;BU)", "D:P(A;;GA;;;BA)(A;;GA;;;SY)(A;;GWGR;;;BU)"));
  }

  auto info = api.json("GET", "/v1/info");
  ASSERT_TRUE(info.is_object());
  const auto& modes = info["isolation"];
  EXPECT_EQ(modes["hostprocess"]["available"], true) << info.dump();
  EXPECT_EQ(modes["process"]["available"], false);
  // Wine has no HCS: both HCS modes name the missing DLL.
  EXPECT_THAT(modes["process"]["reason"].get<std::string>(), HasSubstr("computecore.dll"));
  EXPECT_EQ(modes["hyperv"]["available"], false);
  EXPECT_THAT(modes["hyperv"]["reason"].get<std::string>(), HasSubstr("computecore.dll"));
  EXPECT_EQ(info["dataRoot"], root.path.string());
  EXPECT_TRUE(fs::exists(root.path / "silo.db"));

  const std::string id = api.run_hostprocess({"echo", "hello-from-silod", "&", "exit", "3"});
  ASSERT_FALSE(id.empty());
  auto waited = api.json("POST", "/v1/containers/" + id + "/wait?condition=not-running");
  EXPECT_EQ(waited["exitCode"], 3) << waited.dump();
  auto logs = api.call("GET", "/v1/containers/" + id + "/logs");
  ASSERT_TRUE(logs);
  EXPECT_THAT(logs->body, HasSubstr("hello-from-silod"));
  auto inspected = api.json("GET", "/v1/containers/" + id);
  EXPECT_EQ(inspected["state"], "exited");

  // siloctl.exe over the same pipe: run exits with the container's code and prints its output.
  auto [run_code, run_text] = run_to_end(L"siloctl.exe", "--host " + pipe_host(pipe) +
                                                             " run --isolation hostprocess -- echo from-siloctl & exit 7",
                                         "siloctl-run");
  EXPECT_EQ(run_code, 7u) << run_text;
  EXPECT_THAT(run_text, HasSubstr("from-siloctl"));
  auto [ps_code, ps_text] = run_to_end(L"siloctl.exe", "--host " + pipe_host(pipe) + " ps -a", "siloctl-ps");
  EXPECT_EQ(ps_code, 0u) << ps_text;
  EXPECT_THAT(ps_text, HasSubstr(id.substr(0, 12)));

  // The data root is silod's alone.
  const std::string other_pipe = test::unique_pipe_path();
  auto [second_code, second_text] = run_to_end(
      L"silod.exe", "--host " + pipe_host(other_pipe) + " --data-root \"" + root.path.string() + "\"", "silod-second");
  EXPECT_EQ(second_code, 1u);
  EXPECT_THAT(second_text, HasSubstr("another silod (pid "));
  EXPECT_THAT(second_text, HasSubstr("is using data root"));
}

// Host folders and pipes need admin on Windows too (core/model/host_access.h): a pipe client that
// silod.exe judges not an administrator (operator) is refused a host folder and a named pipe mount
// with a 403 naming the rule, before anything else is looked at, while a container without them gets
// past the rule to the next refusal (no HCS under Wine).
//
// Wine's named pipe server impersonates its own process token, not the client's (wineserver's
// FSCTL_PIPE_IMPERSONATE), so silod.exe judges every client by its own token here. The test runs
// silod.exe itself with Administrators deny-only (CreateRestrictedToken, CreateProcessAsUserW), which
// makes each of its clients an operator; on Windows the client's own token decides.
TEST(Silod, AnOperatorOnThePipeMayNotMountHostFoldersOrPipes) {
  TempRoot root("silod-operator-" + std::to_string(GetCurrentProcessId()));
  const std::string pipe = test::unique_pipe_path();
  Child silod(beside_this_test(L"silod.exe"),
              "--host " + pipe_host(pipe) + " --pipe-groups Users --data-root \"" + root.path.string() + "\"",
              "silod-operator", As::non_admin);
  ASSERT_TRUE(silod.started());
  Api api{pipe_host(pipe)};
  ASSERT_TRUE(api.wait_until_serving()) << silod.output();
  const std::string run = "--host " + pipe_host(pipe) + " run --isolation process ";

  auto [folder_code, folder_text] =
      run_to_end(L"siloctl.exe", run + "-v C:\\windows:C:\\data -- cmd /c echo", "siloctl-operator-folder");
  EXPECT_EQ(folder_code, 1u) << folder_text;
  EXPECT_THAT(folder_text, HasSubstr("role operator"));
  EXPECT_THAT(folder_text, HasSubstr("may not create a container: mounts[0].source \"C:\\windows\" resolves to"));
  EXPECT_THAT(folder_text, HasSubstr("outside operator-mount-roots (none configured); needs admin"));

  auto [pipe_code, pipe_text] =
      run_to_end(L"siloctl.exe", run + "-v \\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine -- cmd",
                 "siloctl-operator-pipe");
  EXPECT_EQ(pipe_code, 1u) << pipe_text;
  EXPECT_THAT(pipe_text, HasSubstr("is a named pipe, a host object outside any container; needs admin"));

  auto [plain_code, plain_text] = run_to_end(L"siloctl.exe", run + "-- cmd /c echo", "siloctl-operator-plain");
  EXPECT_EQ(plain_code, 1u) << plain_text;
  EXPECT_THAT(plain_text, ::testing::Not(HasSubstr("needs admin")));
  EXPECT_THAT(plain_text, HasSubstr("process isolation is not available on this host"));

  auto listed = api.json("GET", "/v1/containers");
  EXPECT_TRUE(listed.is_array() && listed.empty()) << listed.dump();
}

// TEST ONLY: a DLL double copied into System32 under the name silod loads (System32 is the only
// place silod loads HCS's DLLs from); removed again when the test ends, whatever happened.
class DoubleInSystem32 {
 public:
  DoubleInSystem32(const char* double_path, const wchar_t* dll_name) {
    wchar_t system[MAX_PATH];
    GetSystemDirectoryW(system, MAX_PATH);
    installed_ = fs::path(system) / dll_name;
    std::error_code ec;
    copied_ = !fs::exists(installed_, ec) && fs::copy_file(double_path, installed_, ec);
  }
  ~DoubleInSystem32() {
    std::error_code ignored;
    if (copied_) fs::remove(installed_, ignored);
  }
  bool copied() const { return copied_; }

 private:
  fs::path installed_;
  bool copied_ = false;
};

// /v1/layers in silod.exe under Wine. A base layer needs computestorage.dll, vmcompute.dll (which
// processes it) and BackupWrite (which restores its files with their security descriptors); the
// DLLs are loaded at each import, so the same running silod refuses the tar three times, each time
// naming what this host lacks, and each refusal leaves no layer, record or folder behind. Wine has
// no BackupWrite, so the last refusal is the one a Wine user gets; the successful path runs
// against the stand-ins in windows_layer_files_tests.
TEST(Silod, RefusesAWindowsBaseLayerNamingWhatTheHostLacksAndLeavesNothing) {
  TempRoot root("silod-layers-" + std::to_string(GetCurrentProcessId()));
  const std::string pipe = test::unique_pipe_path();
  Child silod(beside_this_test(L"silod.exe"), "--host " + pipe_host(pipe) + " --data-root \"" + root.path.string() + "\"",
              "silod-layers");
  ASSERT_TRUE(silod.started());
  Api api{pipe_host(pipe)};
  ASSERT_TRUE(api.wait_until_serving()) << silod.output();
  const std::string host = "--host " + pipe_host(pipe);

  layers::testing::TarBuilder tar;
  tar.dir("Files").file("Files/hello.txt", "hello from a layer").dir("Hives").file("Hives/Software_Base", "regf");
  const fs::path tar_path = root.path.parent_path() / ("silod-layer-" + std::to_string(GetCurrentProcessId()) + ".tar");
  { std::ofstream(tar_path, std::ios::binary) << tar.finish(); }

  auto refused_naming = [&](const std::string& missing, const char* log_name) {
    auto [code, text] = run_to_end(L"siloctl.exe", host + " layer import \"" + tar_path.string() + "\"", log_name);
    EXPECT_NE(code, 0u);
    EXPECT_THAT(text, HasSubstr(missing)) << "the reason names what is missing";
    EXPECT_EQ(api.json("GET", "/v1/layers"), nlohmann::json::array());
    std::vector<std::string> leftovers;
    for (const auto& item : fs::directory_iterator(root.path / "layers")) {
      if (item.path().filename() != "tmp") leftovers.push_back(item.path().filename().string());
    }
    EXPECT_TRUE(leftovers.empty()) << leftovers.front();
    EXPECT_TRUE(fs::is_empty(root.path / "layers" / "tmp"));
  };
  refused_naming("computestorage.dll", "siloctl-layer-no-storage");
  DoubleInSystem32 storage(SILO_STORAGE_DOUBLE_PATH, L"computestorage.dll");
  ASSERT_TRUE(storage.copied()) << "a computestorage.dll is already in System32";
  refused_naming("vmcompute.dll", "siloctl-layer-no-vmcompute");
  DoubleInSystem32 vmcompute(SILO_VMCOMPUTE_DOUBLE_PATH, L"vmcompute.dll");
  ASSERT_TRUE(vmcompute.copied()) << "a vmcompute.dll is already in System32";
  refused_naming("BackupWrite of Files/hello.txt", "siloctl-layer-no-backupwrite");
  std::error_code ignored;
  fs::remove(tar_path, ignored);
}

using test::open_service;
using test::ScHandle;
using test::wait_for_state;

// Starts the service and waits for RUNNING; false with the reason in the test's output otherwise.
bool start_and_wait(SC_HANDLE service) {
  if (!StartServiceW(service, 0, nullptr)) {
    ADD_FAILURE() << "StartServiceW: " << GetLastError();
    return false;
  }
  auto running = wait_for_state(service, SERVICE_RUNNING);
  EXPECT_EQ(running.dwCurrentState, static_cast<DWORD>(SERVICE_RUNNING)) << "exit code " << running.dwWin32ExitCode << "/"
                                                                          << running.dwServiceSpecificExitCode;
  return running.dwCurrentState == SERVICE_RUNNING;
}

// STOP, then STOPPED with exit code 0 (the daemon drained and ended cleanly).
void stop_and_wait(SC_HANDLE service) {
  SERVICE_STATUS status{};
  ASSERT_TRUE(ControlService(service, SERVICE_CONTROL_STOP, &status)) << "ControlService: " << GetLastError();
  auto stopped = wait_for_state(service, SERVICE_STOPPED);
  ASSERT_EQ(stopped.dwCurrentState, static_cast<DWORD>(SERVICE_STOPPED));
  EXPECT_EQ(stopped.dwWin32ExitCode, static_cast<DWORD>(NO_ERROR));
}

struct UnregisterSilod {
  std::string name;
  ~UnregisterSilod() { run_to_end(L"silod.exe", "--unregister-service --service-name " + name, name + "-cleanup"); }
};

// silod.exe registers itself, runs under the SCM with its options, serves the pipe, runs a
// HostProcess container, stops cleanly on STOP, and after a second start still knows the container
// and its exit code (the SQLite store under the data root). Unregistering removes the service.
TEST(SilodService, RegistersRunsUnderTheScmAndKeepsItsStateAcrossRestarts) {
  const std::string name = "silod-test-" + std::to_string(GetCurrentProcessId());
  TempRoot root(name);
  const std::string pipe = test::unique_pipe_path();
  auto [registered, register_text] = run_to_end(
      L"silod.exe",
      "--register-service --service-name " + name + " --host " + pipe_host(pipe) + " --data-root \"" + root.path.string() + "\"",
      name + "-register");
  ASSERT_EQ(registered, 0u) << register_text;
  EXPECT_THAT(register_text, HasSubstr("registered service " + name));
  UnregisterSilod cleanup{name};

  ScHandle service = open_service(name);
  ASSERT_TRUE(service) << "OpenServiceW: " << GetLastError();
  ASSERT_TRUE(start_and_wait(service.get()));
  Api api{pipe_host(pipe)};
  ASSERT_TRUE(api.wait_until_serving());
  // What an operator runs: sc query shows it running.
  auto [sc_code, sc_text] = run_to_end(L"C:\\windows\\system32\\sc.exe", "query " + name, name + "-sc");
  EXPECT_EQ(sc_code, 0u) << sc_text;
  EXPECT_THAT(sc_text, HasSubstr("RUNNING"));
  const std::string id = api.run_hostprocess({"echo", "under-the-scm", "&", "exit", "5"});
  ASSERT_FALSE(id.empty());
  auto waited = api.json("POST", "/v1/containers/" + id + "/wait?condition=not-running");
  EXPECT_EQ(waited["exitCode"], 5) << waited.dump();
  stop_and_wait(service.get());

  ASSERT_TRUE(start_and_wait(service.get()));
  ASSERT_TRUE(api.wait_until_serving());
  auto inspected = api.json("GET", "/v1/containers/" + id);
  EXPECT_EQ(inspected["state"], "exited") << inspected.dump();
  EXPECT_EQ(inspected["exitCode"], 5);
  auto logs = api.call("GET", "/v1/containers/" + id + "/logs");
  ASSERT_TRUE(logs);
  EXPECT_THAT(logs->body, HasSubstr("under-the-scm"));
  stop_and_wait(service.get());

  // Under the SCM silod logs to the rotating file under its data root.
  std::error_code ec;
  EXPECT_TRUE(fs::exists(root.path / "logs" / "silod.log", ec));

  service.reset();
  auto [unregistered, unregister_text] = run_to_end(L"silod.exe", "--unregister-service --service-name " + name, name + "-unregister");
  EXPECT_EQ(unregistered, 0u) << unregister_text;
  EXPECT_FALSE(open_service(name));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_SERVICE_DOES_NOT_EXIST));
}

}  // namespace
}  // namespace silo
