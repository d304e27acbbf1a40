#include "storage/layers/sha256.h"

#include <windows.h>
#include <bcrypt.h>

#include <algorithm>
#include <array>
#include <cstdio>

namespace silo::layers {
namespace {

Error cng_error(const char* call, NTSTATUS status) {
  char code[16];
  std::snprintf(code, sizeof code, "0x%08lX", static_cast<unsigned long>(status));
  return make_error(Errc::internal, std::string("cannot compute a sha256 digest: ") + call + " failed with NTSTATUS " + code);
}

}  // namespace

struct Sha256::Impl {
  BCRYPT_ALG_HANDLE algorithm = nullptr;
  BCRYPT_HASH_HANDLE hash = nullptr;
  ~Impl() {
    if (hash) BCryptDestroyHash(hash);
    if (algorithm) BCryptCloseAlgorithmProvider(algorithm, 0);
  }
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  NTSTATUS status = BCryptOpenAlgorithmProvider(&impl_->algorithm, BCRYPT_SHA256_ALGORITHM, nullptr, 0);
  if (!BCRYPT_SUCCESS(status)) {
    impl_->algorithm = nullptr;
    failure_ = cng_error("BCryptOpenAlgorithmProvider(SHA256)", status);
    return;
  }
  // A null object buffer lets CNG allocate the hash object itself (Windows 7 and later).
  status = BCryptCreateHash(impl_->algorithm, &impl_->hash, nullptr, 0, nullptr, 0, 0);
  if (!BCRYPT_SUCCESS(status)) {
    impl_->hash = nullptr;
    failure_ = cng_error("BCryptCreateHash", status);
  }
}

Sha256::~Sha256() = default;

void Sha256::update(std::span<const char> bytes) {
  if (failure_) return;
  // BCryptHashData takes a ULONG length: feed large spans in pieces.
  while (!bytes.empty()) {
    const ULONG piece = static_cast<ULONG>(std::min<std::size_t>(bytes.size(), 1U << 30));
    NTSTATUS status = BCryptHashData(impl_->hash, reinterpret_cast<PUCHAR>(const_cast<char*>(bytes.data())), piece, 0);
    if (!BCRYPT_SUCCESS(status)) {
      failure_ = cng_error("BCryptHashData", status);
      return;
    }
    bytes = bytes.subspan(piece);
  }
}

Result<std::string> Sha256::finish() {
  if (failure_) return *failure_;
  std::array<unsigned char, 32> digest{};
  NTSTATUS status = BCryptFinishHash(impl_->hash, digest.data(), static_cast<ULONG>(digest.size()), 0);
  if (!BCRYPT_SUCCESS(status)) return cng_error("BCryptFinishHash", status);
  return to_hex(digest);
}

}  // namespace silo::layers
