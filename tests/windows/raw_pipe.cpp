#include "tests/windows/raw_pipe.h"

#include <windows.h>

namespace silo::test {

RawPipe::RawPipe(const std::string& path) {
  const std::wstring name(path.begin(), path.end());  // test pipe names are ASCII
  for (int attempt = 0; attempt < 50; ++attempt) {
    HANDLE pipe = CreateFileW(name.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr);
    if (pipe != INVALID_HANDLE_VALUE) {
      handle_ = pipe;
      return;
    }
    dial_error_ = GetLastError();
    if (dial_error_ != ERROR_PIPE_BUSY) return;
    WaitNamedPipeW(name.c_str(), 200);
  }
}

RawPipe::~RawPipe() { close(); }

bool RawPipe::write(const std::string& bytes) {
  DWORD written = 0;
  return handle_ && WriteFile(handle_, bytes.data(), static_cast<DWORD>(bytes.size()), &written, nullptr) &&
         written == bytes.size();
}

std::string RawPipe::read_to_end() {
  std::string out;
  char buffer[4096];
  while (handle_ && out.size() < (1u << 20)) {
    DWORD got = 0;
    if (!ReadFile(handle_, buffer, sizeof buffer, &got, nullptr) || got == 0) break;  // broken pipe: closed
    out.append(buffer, got);
  }
  return out;
}

void RawPipe::close() {
  if (handle_) CloseHandle(handle_);
  handle_ = nullptr;
}

}  // namespace silo::test
