#include "core/engine/hcs/backend/hcs_container.h"
#include "core/engine/hcs/backend/try_assign.h"

#include "core/engine/hcs/documents/results.h"
#include "core/engine/monitor/monitor_files.h"
#include "core/logging.h"

#include <csignal>
#include <cstdio>
#include <system_error>

namespace silo::engine::hcs_backend {

namespace cc = hcs::computecore;

namespace {

constexpr int kSigKill = 9;
constexpr int kSigInt = 2;
constexpr int kSigTerm = 15;

std::string hex(std::int32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(value));
  return text;
}

ExitStatus killed(TimeNs at) {
  return ExitStatus{128 + kSigKill, kSigKill, false, at, "killed by SIGKILL"};
}

}  // namespace

HcsContainer::HcsContainer(HcsHandle handle, ExitReport report, const Clock& clock, bool signals_reach_processes)
    : handle_(std::move(handle)), report_(std::move(report)), clock_(clock), signals_reach_processes_(signals_reach_processes) {}

HcsContainer::~HcsContainer() { close(); }

cc::EventHandler HcsContainer::system_events() {
  std::weak_ptr<HcsContainer> weak = weak_from_this();
  return [weak](const cc::Event& event) {
    if (auto self = weak.lock()) self->on_system_event(event);
  };
}

void HcsContainer::attach(cc::ComputeSystem system) {
  std::lock_guard lock(mutex_);
  system_.emplace(std::move(system));
}

bool HcsContainer::exited() {
  std::lock_guard lock(mutex_);
  return exit_recorded_;
}

Result<cc::ComputeSystem*> HcsContainer::running_system() {
  if (!system_) return make_error(Errc::failed_precondition, "container " + handle_.container_id + " has no compute system");
  return &*system_;
}

Result<void> HcsContainer::start(const std::string& parameters, const logs::LogWriterOptions& log) {
  std::lock_guard lock(mutex_);
  SILO_HCS_TRY_ASSIGN(system, running_system());
  SILO_TRY(system->start());
  std::weak_ptr<HcsContainer> weak = weak_from_this();
  auto process = system->create_process(parameters, [weak](const cc::Event& event) {
    if (auto self = weak.lock()) self->on_process_event("", event);
  });
  if (!process) return process.error();
  auto watched = WatchedProcess::start(std::move(*process), handle_.state_dir, log, clock_);
  if (!watched) return watched.error();
  init_ = std::move(*watched);
  return {};
}

Result<void> HcsContainer::exec(const std::string& exec_id, const std::string& parameters,
                                const std::filesystem::path& state_dir) {
  std::lock_guard lock(mutex_);
  if (exit_recorded_) return make_error(Errc::failed_precondition, "container " + handle_.container_id + " has exited");
  SILO_HCS_TRY_ASSIGN(system, running_system());
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return make_error(Errc::internal, "cannot create " + state_dir.string() + ": " + ec.message());
  std::weak_ptr<HcsContainer> weak = weak_from_this();
  auto process = system->create_process(parameters, [weak, exec_id](const cc::Event& event) {
    if (auto self = weak.lock()) self->on_process_event(exec_id, event);
  });
  if (!process) return process.error();
  auto watched = WatchedProcess::start(std::move(*process), state_dir, logs::LogWriterOptions{}, clock_);
  if (!watched) return watched.error();
  execs_[exec_id] = std::move(*watched);
  exec_dirs_[exec_id] = state_dir;
  return {};
}

Result<void> HcsContainer::signal(int signal) {
  if (signal == kSigKill) return terminate();
  std::lock_guard lock(mutex_);
  SILO_HCS_TRY_ASSIGN(system, running_system());
  if (init_ && signals_reach_processes_) {
    auto sent = init_->process().signal(signal == kSigInt ? "CtrlC" : "CtrlShutdown");
    if (sent) return {};
    logging::get("hcs")->warn("container {}: {}; shutting the compute system down instead", handle_.container_id,
                              sent.error().message);
  }
  shutdown_requested_ = true;
  return system->shutdown();
}

Result<void> HcsContainer::terminate() {
  std::lock_guard lock(mutex_);
  SILO_HCS_TRY_ASSIGN(system, running_system());
  kill_requested_ = true;
  return system->terminate();
}

Result<ContainerStats> HcsContainer::stats() {
  std::lock_guard lock(mutex_);
  SILO_HCS_TRY_ASSIGN(system, running_system());
  return system->statistics(clock_.now());
}

void HcsContainer::on_system_event(const cc::Event& event) {
  if (event.kind == cc::EventKind::service_disconnect) {
    logging::get("hcs")->error("container {}: lost communication with the compute service", handle_.container_id);
    return;
  }
  if (event.kind != cc::EventKind::system_exited) return;
  ExitStatus status;
  {
    std::lock_guard lock(mutex_);
    if (exit_recorded_) return;  // the init process's exit came first: that is the container's exit
    exit_recorded_ = true;
    status = status_for_system_exit(event.data);
  }
  if (init_) init_->drain();
  record("", handle_.state_dir, std::move(status));
}

ExitStatus HcsContainer::status_for_system_exit(const std::string& data) {
  const TimeNs now = clock_.now();
  if (kill_requested_) return killed(now);
  hcs::SystemExit exit = hcs::parse_system_exit(data);
  if (shutdown_requested_) {
    return ExitStatus{128 + kSigTerm, kSigTerm, false, now, "shut down gracefully (" + exit.exit_type + ")"};
  }
  // Nobody asked for it and the init process never reported: the container crashed.
  std::string how = exit.unexpected() ? "exited unexpectedly" : "exited before its init process";
  return ExitStatus{255, std::nullopt, false, now,
                    "the compute system " + how + " (" + exit.exit_type + ", HRESULT " + hex(exit.status) + ")"};
}

void HcsContainer::on_process_event(const std::string& exec_id, const cc::Event& event) {
  if (event.kind != cc::EventKind::process_exited) return;
  hcs::ProcessExit exit = hcs::parse_process_exit(event.data);
  ExitStatus status;
  std::filesystem::path dir = handle_.state_dir;
  WatchedProcess* watched = nullptr;
  cc::ComputeSystem* system = nullptr;
  {
    std::lock_guard lock(mutex_);
    const TimeNs now = clock_.now();
    if (exec_id.empty()) {
      if (exit_recorded_) return;
      exit_recorded_ = true;
      watched = init_.get();
      if (system_ && !reaper_started_ && !closing_) system = &*system_;
    } else {
      auto found = execs_.find(exec_id);
      if (found == execs_.end()) return;
      watched = found->second.get();
      dir = exec_dirs_[exec_id];
    }
    if (kill_requested_ && exec_id.empty()) {
      status = killed(now);
    } else if (exit.exit_code) {
      int code = static_cast<int>(*exit.exit_code);
      status = ExitStatus{code, std::nullopt, false, now, "exited with code " + std::to_string(code)};
    } else {
      status = ExitStatus{255, std::nullopt, false, now,
                          "exited; HCS reported no exit code (LastWaitResult " + hex(exit.last_wait_result) + ")"};
    }
    // The container ends with its init process, as with hcsshim's shim: terminate the system off
    // the callback thread.
    if (system != nullptr) {
      reaper_started_ = true;
      reaper_ = std::thread([system] { (void)system->terminate(); });
    }
  }
  if (watched != nullptr) watched->drain();
  record(exec_id, dir, std::move(status));
}

void HcsContainer::record(const std::string& exec_id, const std::filesystem::path& state_dir, ExitStatus status) {
  auto written = monitor::write_exit_status(state_dir, status);
  if (!written) {
    logging::get("hcs")->error("container {}: cannot record the exit: {}", handle_.container_id,
                               written.error().message);
  }
  if (report_) report_(exec_id, status);
}

void HcsContainer::close() {
  std::thread reaper;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;  // no new reaper from here on
    reaper = std::move(reaper_);
  }
  // The reaper uses the system: it must finish before the system is moved out and closed.
  if (reaper.joinable()) reaper.join();
  std::unique_ptr<WatchedProcess> init;
  std::map<std::string, std::unique_ptr<WatchedProcess>> execs;
  std::optional<cc::ComputeSystem> system;
  {
    std::lock_guard lock(mutex_);
    init = std::move(init_);
    execs = std::move(execs_);
    if (system_) system.emplace(std::move(*system_));
    system_.reset();
  }
  // Outside the lock: closing an HCS handle waits for its callbacks, which take the lock.
  init.reset();
  execs.clear();
  if (system) (void)system->terminate();
}

}  // namespace silo::engine::hcs_backend
