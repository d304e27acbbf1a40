// One container of the HCS backend: its compute system, its init process and execs, and the exit
// rules. The init process's exit is the container's exit (HcsEventProcessExited, ProcessStatus);
// a system exit that comes first is a crash unless silo asked for it (terminate → SIGKILL,
// shutdown → graceful). The exit is written to exit.json in the state directory (the record
// silo-monitor writes) and then handed to `report`, once. After the init process exits the system
// is terminated on a reaper thread: HCS callbacks must not wait for other HCS operations.
#pragma once

#include "core/clock.h"
#include "core/engine/backend.h"
#include "core/engine/hcs/backend/hcs_handle.h"
#include "core/engine/hcs/backend/watched_process.h"
#include "core/engine/hcs/computecore/compute_system.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace silo::engine::hcs_backend {

using ExitReport = std::function<void(const std::string& exec_id, const ExitStatus& status)>;

class HcsContainer : public std::enable_shared_from_this<HcsContainer> {
 public:
  // `signals_reach_processes`: HcsSignalProcess works here (false in a VM whose guest does not
  // report SignalProcessSupported; a graceful stop then shuts the compute system down).
  HcsContainer(HcsHandle handle, ExitReport report, const Clock& clock, bool signals_reach_processes);
  ~HcsContainer();

  HcsHandle& handle() { return handle_; }
  // The handler to give ComputeSystem::create/open; it holds only a weak reference.
  hcs::computecore::EventHandler system_events();
  void attach(hcs::computecore::ComputeSystem system);

  // HcsStartComputeSystem, then the init process from `parameters` with its output in the log.
  Result<void> start(const std::string& parameters, const logs::LogWriterOptions& log);
  Result<void> exec(const std::string& exec_id, const std::string& parameters, const std::filesystem::path& state_dir);
  Result<void> signal(int signal);
  Result<void> terminate();
  Result<ContainerStats> stats();
  // Terminates what still runs and closes every handle (the system last).
  void close();
  bool exited();

 private:
  void on_system_event(const hcs::computecore::Event& event);
  void on_process_event(const std::string& exec_id, const hcs::computecore::Event& event);
  ExitStatus status_for_system_exit(const std::string& data);
  void record(const std::string& exec_id, const std::filesystem::path& state_dir, ExitStatus status);
  Result<hcs::computecore::ComputeSystem*> running_system();

  HcsHandle handle_;
  ExitReport report_;
  const Clock& clock_;
  const bool signals_reach_processes_;
  std::mutex mutex_;
  std::optional<hcs::computecore::ComputeSystem> system_;
  std::unique_ptr<WatchedProcess> init_;
  std::map<std::string, std::unique_ptr<WatchedProcess>> execs_;
  std::map<std::string, std::filesystem::path> exec_dirs_;
  bool exit_recorded_ = false;
  bool kill_requested_ = false;
  bool shutdown_requested_ = false;
  bool reaper_started_ = false;
  bool closing_ = false;
  std::thread reaper_;
};

}  // namespace silo::engine::hcs_backend
