#include "core/engine/jobobject/output_reader.h"

namespace silo::engine::jobobject {

OutputReader::OutputReader(HANDLE pipe, OnChunk on_chunk) : pipe_(pipe), on_chunk_(std::move(on_chunk)) {
  thread_.reset(CreateThread(nullptr, 0, &OutputReader::run, this, 0, nullptr));
}

OutputReader::~OutputReader() { (void)finish(0); }

DWORD WINAPI OutputReader::run(void* self) {
  auto* reader = static_cast<OutputReader*>(self);
  char buffer[8192];
  for (;;) {
    DWORD n = 0;
    if (!ReadFile(reader->pipe_, buffer, sizeof buffer, &n, nullptr) || n == 0) return 0;
    reader->on_chunk_(std::string_view(buffer, n));
  }
}

bool OutputReader::finish(DWORD timeout_ms) {
  if (!thread_) return true;
  bool closed = WaitForSingleObject(thread_.get(), timeout_ms) == WAIT_OBJECT_0;
  if (!closed) {
    CancelSynchronousIo(thread_.get());
    // Bounded: where cancellation is not implemented the thread is left to the process's exit.
    WaitForSingleObject(thread_.get(), 2000);
  }
  thread_.reset();
  return closed;
}

}  // namespace silo::engine::jobobject
