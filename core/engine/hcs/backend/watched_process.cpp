#include "core/engine/hcs/backend/watched_process.h"

namespace silo::engine::hcs_backend {

namespace {
// How long an exit report waits for output still in the pipes (the job-object monitor's limit).
constexpr DWORD kDrainLimitMs = 5000;
}  // namespace

WatchedProcess::WatchedProcess(hcs::computecore::ComputeProcess process, logs::LogWriter writer)
    : process_(std::move(process)), writer_(std::move(writer)) {}

Result<std::unique_ptr<WatchedProcess>> WatchedProcess::start(hcs::computecore::ComputeProcess process,
                                                              const std::filesystem::path& state_dir,
                                                              const logs::LogWriterOptions& log, const Clock& clock) {
  auto writer = logs::LogWriter::open(state_dir, log, clock);
  if (!writer) return writer.error();
  std::unique_ptr<WatchedProcess> watched(new WatchedProcess(std::move(process), std::move(*writer)));
  watched->stdout_ = watched->process_.take_stdout();
  watched->stderr_ = watched->process_.take_stderr();
  auto sink = [self = watched.get()](const char* stream) {
    return [self, stream](std::string_view bytes) {
      std::lock_guard lock(self->log_mutex_);
      (void)self->writer_.append(stream, bytes);  // a full disk must not stop the container
    };
  };
  if (watched->stdout_) {
    watched->out_ = std::make_unique<jobobject::OutputReader>(watched->stdout_.get(), sink("stdout"));
  }
  if (watched->stderr_) {
    watched->err_ = std::make_unique<jobobject::OutputReader>(watched->stderr_.get(), sink("stderr"));
  }
  return watched;
}

void WatchedProcess::drain() {
  if (drained_) return;
  drained_ = true;
  if (out_) out_->finish(kDrainLimitMs);
  if (err_) err_->finish(kDrainLimitMs);
  std::lock_guard lock(log_mutex_);
  (void)writer_.finish("stdout");
  (void)writer_.finish("stderr");
}

WatchedProcess::~WatchedProcess() {
  out_.reset();  // the readers stop before the pipes and the writer go
  err_.reset();
}

}  // namespace silo::engine::hcs_backend
