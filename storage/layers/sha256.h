// Incremental sha256 of a layer stream: OpenSSL's EVP on Linux, Windows' CNG (BCrypt) in Windows
// builds, which have no OpenSSL. The layer id is this digest of the uncompressed tar.
#pragma once

#include "core/errors.h"

#include <memory>
#include <optional>
#include <span>
#include <string>

namespace silo::layers {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // Set when the platform's hash could not be started; update() is then a no-op and finish()
  // returns the error.
  const std::optional<Error>& failure() const noexcept { return failure_; }
  void update(std::span<const char> bytes);
  // Lowercase hex of the digest; call once, after the last update().
  Result<std::string> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::optional<Error> failure_;
};

// Lowercase hex of raw digest bytes (shared by both bodies).
std::string to_hex(std::span<const unsigned char> bytes);

}  // namespace silo::layers
