#include "core/engine/jobobject/monitor_launch.h"

#include "core/engine/monitor/monitor.h"
#include "core/engine/monitor/monitor_files.h"
#include "core/logging.h"
#include "core/platform/windows/wide_text.h"
#include "core/platform/windows/win32_error.h"

#include <memory>

namespace silo::engine::jobobject {

namespace {

using platform::windows::last_win32_error;
using platform::windows::to_wide;
using platform::windows::UniqueHandle;

std::wstring handle_text(HANDLE handle) { return std::to_wstring(reinterpret_cast<ULONG_PTR>(handle)); }

// Reads the monitor's one-line report: until a newline, the monitor's end, or `timeout`.
std::string read_report(HANDLE pipe, HANDLE monitor, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string line;
  while (line.find('\n') == std::string::npos) {
    DWORD available = 0;
    if (!PeekNamedPipe(pipe, nullptr, 0, nullptr, &available, nullptr)) break;  // writer gone: the monitor ended
    if (available > 0) {
      char buffer[512];
      DWORD n = 0;
      if (!ReadFile(pipe, buffer, std::min<DWORD>(available, sizeof buffer), &n, nullptr)) break;
      line.append(buffer, n);
      continue;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return "error unavailable the monitor did not report within " + std::to_string(timeout.count()) + " ms";
    }
    // Short sleeps: anonymous pipes have no overlapped reads, and a start takes milliseconds.
    if (WaitForSingleObject(monitor, 10) == WAIT_OBJECT_0) {
      DWORD left = 0;
      if (!PeekNamedPipe(pipe, nullptr, 0, nullptr, &left, nullptr) || left == 0) break;
    }
  }
  return line;
}

Result<UniqueHandle> start_monitor(std::wstring command, const std::filesystem::path& state_dir, std::vector<HANDLE> inherited,
                                   HANDLE output) {
  SIZE_T size = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
  auto buffer = std::make_unique<std::uint8_t[]>(size);
  auto* list = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(buffer.get());
  if (!InitializeProcThreadAttributeList(list, 1, 0, &size)) return last_win32_error("initialize a process attribute list");
  std::unique_ptr<_PROC_THREAD_ATTRIBUTE_LIST, decltype(&DeleteProcThreadAttributeList)> owned(list, &DeleteProcThreadAttributeList);
  if (!UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherited.data(), inherited.size() * sizeof(HANDLE), nullptr, nullptr)) {
    return last_win32_error("set the handles the monitor inherits");
  }
  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof startup;
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = nullptr;
  startup.StartupInfo.hStdOutput = output;
  startup.StartupInfo.hStdError = output;
  startup.lpAttributeList = list;
  const DWORD flags = CREATE_NO_WINDOW | CREATE_NEW_PROCESS_GROUP | EXTENDED_STARTUPINFO_PRESENT | CREATE_UNICODE_ENVIRONMENT;
  PROCESS_INFORMATION info{};
  const std::wstring dir = state_dir.wstring();
  // Outside silod's job if silod runs in one, so stopping silod's job never stops containers.
  BOOL created = CreateProcessW(nullptr, command.data(), nullptr, nullptr, TRUE, flags | CREATE_BREAKAWAY_FROM_JOB, nullptr,
                                dir.c_str(), &startup.StartupInfo, &info);
  if (!created && GetLastError() == ERROR_ACCESS_DENIED) {
    created = CreateProcessW(nullptr, command.data(), nullptr, nullptr, TRUE, flags, nullptr, dir.c_str(), &startup.StartupInfo, &info);
  }
  if (!created) return last_win32_error("start the monitor");
  CloseHandle(info.hThread);
  return UniqueHandle(info.hProcess);
}

}  // namespace

Result<LaunchedMonitor> launch_monitor(const std::filesystem::path& monitor_path, const std::filesystem::path& config_file,
                                       const std::filesystem::path& state_dir, HANDLE token, std::chrono::milliseconds timeout) {
  SECURITY_ATTRIBUTES inheritable{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE read_end = nullptr;
  HANDLE write_end = nullptr;
  if (!CreatePipe(&read_end, &write_end, &inheritable, 0)) return last_win32_error("create the monitor's ready pipe");
  UniqueHandle ready_read(read_end);
  UniqueHandle ready_write(write_end);
  SetHandleInformation(ready_read.get(), HANDLE_FLAG_INHERIT, 0);
  const auto output_path = state_dir / monitor::kMonitorOutputFileName;
  UniqueHandle output(CreateFileW(output_path.c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                  &inheritable, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!output) return last_win32_error("open " + output_path.string());
  std::vector<HANDLE> inherited = {ready_write.get(), output.get()};
  if (token != nullptr) {
    if (!SetHandleInformation(token, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT)) return last_win32_error("pass the account token on");
    inherited.push_back(token);
  }
  const std::wstring command = L"\"" + monitor_path.wstring() + L"\" \"" + config_file.wstring() + L"\" " +
                               handle_text(ready_write.get()) + L" " + handle_text(token);
  auto process = start_monitor(command, state_dir, inherited, output.get());
  ready_write.reset();  // only the monitor holds the write end now: its end closes the pipe
  if (!process) return process.error();
  const auto report = monitor::decode_ready(read_report(ready_read.get(), process->get(), timeout));
  if (!report.ok) return report.error;
  auto identity = monitor::read_identity(state_dir);
  if (!identity) return identity.error();
  return LaunchedMonitor{*identity, report.pid};
}

ExitStatus recorded_exit(const std::filesystem::path& state_dir) {
  auto recorded = monitor::read_exit_status(state_dir);
  if (recorded && recorded->has_value()) return **recorded;
  ExitStatus lost;
  lost.exit_code = -1;
  lost.reason = "the monitor ended without recording an exit (see " + (state_dir / monitor::kMonitorOutputFileName).string() + ")";
  return lost;
}

MonitorWatcher::MonitorWatcher(OnExit on_exit) : on_exit_(std::move(on_exit)), stop_(CreateEventW(nullptr, TRUE, FALSE, nullptr)) {}

MonitorWatcher::~MonitorWatcher() {
  SetEvent(stop_.get());
  for (auto& thread : threads_) thread.join();
}

Result<void> MonitorWatcher::watch(const WatchedMonitor& monitor) {
  UniqueHandle process(OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(monitor.monitor.pid)));
  // A handle to another process that reused the pid must not be waited on.
  if (process && !platform::process_alive(monitor.monitor)) process.reset();
  auto entry = std::make_shared<Entry>(Entry{monitor, false});
  std::lock_guard lock(mutex_);
  entries_.push_back(entry);
  threads_.emplace_back([this, entry, handle = std::make_shared<UniqueHandle>(std::move(process))]() mutable {
    wait_for(entry, std::move(*handle));
  });
  return {};
}

void MonitorWatcher::forget(const std::string& container_id) {
  std::lock_guard lock(mutex_);
  for (auto& entry : entries_) {
    if (entry->monitor.container_id == container_id) entry->forgotten = true;
  }
}

void MonitorWatcher::wait_for(std::shared_ptr<Entry> entry, UniqueHandle process) {
  if (process) {
    HANDLE waits[2] = {process.get(), stop_.get()};
    if (WaitForMultipleObjects(2, waits, FALSE, INFINITE) != WAIT_OBJECT_0) return;  // stopping
  }
  {
    std::lock_guard lock(mutex_);
    if (entry->forgotten) return;
  }
  try {
    on_exit_(entry->monitor, recorded_exit(entry->monitor.state_dir));
  } catch (const std::exception& e) {
    // The sink belongs to another module; its failure must not end silod.
    logging::get("engine")->error("container {}: exit report failed: {}", entry->monitor.container_id, e.what());
  }
}

}  // namespace silo::engine::jobobject
