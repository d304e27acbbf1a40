#include "core/engine/jobobject/job_monitor.h"

#include "core/clock.h"
#include "core/engine/jobobject/job_process.h"
#include "core/engine/jobobject/output_reader.h"
#include "core/engine/monitor/monitor.h"
#include "core/engine/monitor/monitor_files.h"
#include "core/logs/log_writer.h"
#include "core/platform/windows/win32_error.h"

#include <cstdio>
#include <mutex>
#include <optional>
#include <system_error>

namespace silo::engine::jobobject {

namespace {

using platform::windows::UniqueHandle;

// Output left in the pipes after the main process ended is read for at most this long.
constexpr DWORD kDrainLimitMs = 5000;
constexpr int kSigkill = 9;

void report_ready(HANDLE ready, const monitor::ReadyReport& report) {
  if (ready == nullptr) return;
  const std::string line = monitor::encode_ready(report);
  DWORD written = 0;
  WriteFile(ready, line.data(), static_cast<DWORD>(line.size()), &written, nullptr);
  CloseHandle(ready);
}

void note(const std::string& text) {
  std::fprintf(stderr, "silo-monitor[%lu]: %s\n", static_cast<unsigned long>(GetCurrentProcessId()), text.c_str());
  std::fflush(stderr);
}

Result<JobObject> job_for(const JobMonitorConfig& config) {
  const std::wstring name = job_name_for(config.container_id);
  return config.exec ? JobObject::open(name) : JobObject::create(name, config.limits);
}

using CtrlRoutineFn = DWORD(WINAPI*)(void*);

}  // namespace

Result<std::string> send_shutdown(const JobObject& job, DWORD main_pid) {
  FARPROC routine = GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "CtrlRoutine");
  if (routine == nullptr) {
    if (!GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, main_pid)) return platform::windows::last_win32_error("send CTRL_BREAK_EVENT");
    return std::string("CTRL_BREAK_EVENT to process group ") + std::to_string(main_pid) + " (kernel32 has no CtrlRoutine)";
  }
  auto pids = job.process_ids();
  if (!pids) return pids.error();
  int delivered = 0;
  for (DWORD pid : *pids) {
    UniqueHandle process(OpenProcess(PROCESS_CREATE_THREAD | PROCESS_QUERY_INFORMATION | PROCESS_VM_OPERATION |
                                         PROCESS_VM_WRITE | PROCESS_VM_READ, FALSE, pid));
    if (!process) continue;
    // The documented-nowhere route hcsshim takes (process.go signalProcess): the console control
    // routine, started in the target as if the console had raised the event.
    auto start = reinterpret_cast<LPTHREAD_START_ROUTINE>(reinterpret_cast<void*>(routine));
    UniqueHandle thread(CreateRemoteThread(process.get(), nullptr, 0, start,
                                           reinterpret_cast<void*>(static_cast<ULONG_PTR>(CTRL_SHUTDOWN_EVENT)), 0, nullptr));
    if (thread) ++delivered;
  }
  return "CTRL_SHUTDOWN_EVENT to " + std::to_string(delivered) + " of " + std::to_string(pids->size()) + " processes";
}

int run_job_monitor(const JobMonitorConfig& config, HANDLE ready, HANDLE token) {
  SystemClock clock;
  auto self = platform::identify_process(static_cast<int>(GetCurrentProcessId()));
  if (!self || !monitor::write_identity(config.state_dir, *self)) {
    report_ready(ready, {false, 0, make_error(Errc::internal, "the monitor cannot record its identity in " + config.state_dir.string())});
    return 1;
  }
  // Created before the process starts, so a stop request can never come too early to be seen.
  UniqueHandle shutdown;
  if (!config.exec) shutdown.reset(CreateEventW(nullptr, TRUE, FALSE, shutdown_event_name(config.container_id).c_str()));
  auto writer = logs::LogWriter::open(config.state_dir, config.log, clock);
  if (!writer) {
    report_ready(ready, {false, 0, writer.error()});
    return 1;
  }
  auto job = job_for(config);
  if (!job) {
    report_ready(ready, {false, 0, job.error()});
    return 1;
  }
  auto child = start_in_job(*job, {config.command_line, config.env, config.working_dir, token});
  if (!child) {
    report_ready(ready, {false, 0, child.error()});
    return 1;
  }
  report_ready(ready, {true, static_cast<int>(child->pid), {}});

  std::mutex log_mutex;
  bool log_failed = false;
  auto sink = [&](std::string_view stream) {
    return [&, stream](std::string_view bytes) {
      std::lock_guard lock(log_mutex);
      auto appended = writer->append(stream, bytes);
      if (!appended && !log_failed) note(appended.error().message);
      log_failed = log_failed || !appended;
    };
  };
  std::optional<OutputReader> out(std::in_place, child->stdout_read.get(), sink("stdout"));
  std::optional<OutputReader> err(std::in_place, child->stderr_read.get(), sink("stderr"));

  HANDLE waits[2] = {child->process.get(), shutdown.get()};
  const DWORD count = shutdown ? 2 : 1;
  while (WaitForMultipleObjects(count, waits, FALSE, INFINITE) == WAIT_OBJECT_0 + 1) {
    ResetEvent(shutdown.get());
    auto sent = send_shutdown(*job, child->pid);
    note(sent ? "graceful stop: " + *sent : "graceful stop failed: " + sent.error().message);
  }
  const TimeNs finished_at = clock.now();
  DWORD code = 0;
  GetExitCodeProcess(child->process.get(), &code);
  // As hcsshim does for job containers: when the main process ends, so does the rest.
  if (!config.exec) {
    if (auto ended = job->terminate(1); !ended) note(ended.error().message);
  }
  if (!out->finish(kDrainLimitMs)) note("stdout stayed open after the process ended; stopped reading it");
  if (!err->finish(kDrainLimitMs)) note("stderr stayed open after the process ended; stopped reading it");
  (void)writer->finish("stdout");
  (void)writer->finish("stderr");

  platform::ProcessEnd end{static_cast<int>(code), std::nullopt};
  std::error_code ec;
  if (std::filesystem::exists(config.state_dir / kTerminatedMarkerName, ec)) end = {128 + kSigkill, kSigkill};
  if (auto written = monitor::write_exit_status(config.state_dir, monitor::describe_exit(end, false, finished_at)); !written) {
    note(written.error().message);
    return 1;
  }
  return 0;
}

}  // namespace silo::engine::jobobject
