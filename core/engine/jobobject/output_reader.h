// A thread that reads one pipe until it closes and hands each chunk to a callback. A plain Win32
// thread (not std::thread) so the monitor can cancel its blocking ReadFile with CancelSynchronousIo
// when a process outside the job keeps the pipe open past the drain limit.
#pragma once

#include "core/platform/windows/unique_handle.h"

#include <windows.h>

#include <functional>
#include <string_view>

namespace silo::engine::jobobject {

class OutputReader {
 public:
  using OnChunk = std::function<void(std::string_view)>;

  OutputReader(HANDLE pipe, OnChunk on_chunk);
  ~OutputReader();  // cancels and joins
  OutputReader(const OutputReader&) = delete;
  OutputReader& operator=(const OutputReader&) = delete;

  // True when the pipe closed within `timeout_ms`; otherwise the read is cancelled.
  bool finish(DWORD timeout_ms);

 private:
  static DWORD WINAPI run(void* self);

  HANDLE pipe_;
  OnChunk on_chunk_;
  platform::windows::UniqueHandle thread_;
};

}  // namespace silo::engine::jobobject
