// A process HCS started in a compute system (a container's init process or an exec), with its
// stdout and stderr copied into the same JSON-lines container log the job-object monitor writes
// (core/logs LogWriter) in the process's state directory.
#pragma once

#include "core/clock.h"
#include "core/engine/hcs/computecore/compute_process.h"
#include "core/engine/jobobject/output_reader.h"
#include "core/logs/log_writer.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>

namespace silo::engine::hcs_backend {

class WatchedProcess {
 public:
  // Takes the stdio pipes out of `process` and starts reading them into `state_dir`'s log.
  static Result<std::unique_ptr<WatchedProcess>> start(hcs::computecore::ComputeProcess process,
                                                       const std::filesystem::path& state_dir,
                                                       const logs::LogWriterOptions& log, const Clock& clock);
  ~WatchedProcess();

  hcs::computecore::ComputeProcess& process() { return process_; }
  // Waits (bounded) for the pipes to close and writes what is left of the last lines, so the log is
  // complete before the exit is reported.
  void drain();

 private:
  explicit WatchedProcess(hcs::computecore::ComputeProcess process, logs::LogWriter writer);

  hcs::computecore::ComputeProcess process_;
  hcs::computecore::UniqueHandle stdout_;
  hcs::computecore::UniqueHandle stderr_;
  std::mutex log_mutex_;
  logs::LogWriter writer_;
  std::unique_ptr<jobobject::OutputReader> out_;
  std::unique_ptr<jobobject::OutputReader> err_;
  bool drained_ = false;
};

}  // namespace silo::engine::hcs_backend
