// A process HCS started in a compute system. Owns the HCS_PROCESS handle, its event registration
// and the stdio pipe handles HCS created (the caller takes the ones it wants to read or write).
#pragma once

#include "core/engine/hcs/computecore/callback_registry.h"
#include "core/engine/hcs/computecore/compute_core_api.h"

#include <chrono>
#include <memory>
#include <string>

namespace silo::hcs::computecore {

// Owns a kernel HANDLE (CloseHandle in the destructor).
class UniqueHandle {
 public:
  UniqueHandle() = default;
  explicit UniqueHandle(HANDLE handle) : handle_(handle) {}
  UniqueHandle(UniqueHandle&& other) noexcept : handle_(other.release()) {}
  UniqueHandle& operator=(UniqueHandle&& other) noexcept;
  UniqueHandle(const UniqueHandle&) = delete;
  ~UniqueHandle();
  HANDLE get() const { return handle_; }
  HANDLE release();
  explicit operator bool() const { return handle_ != nullptr && handle_ != INVALID_HANDLE_VALUE; }

 private:
  HANDLE handle_ = nullptr;
};

class ComputeProcess {
 public:
  ComputeProcess(std::shared_ptr<const ComputeCoreApi> api, HCS_PROCESS handle, const HCS_PROCESS_INFORMATION& info,
                 std::chrono::milliseconds deadline);
  ComputeProcess(ComputeProcess&& other) noexcept;
  ComputeProcess& operator=(ComputeProcess&&) = delete;
  ComputeProcess(const ComputeProcess&) = delete;
  ~ComputeProcess();

  // Registers for HcsEventProcessExited (ProcessStatus JSON in Event::data).
  Result<void> watch(EventHandler on_event);
  // A console control event: "CtrlC", "CtrlBreak", "CtrlClose", "CtrlLogOff", "CtrlShutdown".
  Result<void> signal(const std::string& ctrl_event);
  Result<void> terminate();
  // Closes the process's stdin inside the container (EOF for the program reading it).
  Result<void> close_stdin();

  std::uint32_t pid() const { return pid_; }
  UniqueHandle take_stdin() { return std::move(stdin_); }
  UniqueHandle take_stdout() { return std::move(stdout_); }
  UniqueHandle take_stderr() { return std::move(stderr_); }

 private:
  std::shared_ptr<const ComputeCoreApi> api_;
  HCS_PROCESS handle_ = nullptr;
  std::uint32_t pid_ = 0;
  UniqueHandle stdin_;
  UniqueHandle stdout_;
  UniqueHandle stderr_;
  std::uintptr_t callback_id_ = 0;
  std::chrono::milliseconds deadline_;
};

}  // namespace silo::hcs::computecore
