// A bare synchronous named-pipe client for tests: dial, write bytes, read until the daemon closes,
// or vanish mid-request. It speaks no HTTP of its own, so tests control every byte on the wire.
#pragma once

#include <string>

namespace silo::test {

class RawPipe {
 public:
  // Dials path, waiting (bounded) for a free instance; check connected().
  explicit RawPipe(const std::string& path);
  RawPipe(const RawPipe&) = delete;
  RawPipe& operator=(const RawPipe&) = delete;
  ~RawPipe();

  bool connected() const noexcept { return handle_ != nullptr; }
  unsigned long dial_error() const noexcept { return dial_error_; }
  void* handle() const noexcept { return handle_; }
  bool write(const std::string& bytes);
  // Everything until the server closes its end (at most 1 MiB).
  std::string read_to_end();
  void close();

 private:
  void* handle_ = nullptr;
  unsigned long dial_error_ = 0;
};

}  // namespace silo::test
