#include "storage/layers/sha256.h"

#include <openssl/evp.h>

#include <array>

namespace silo::layers {

struct Sha256::Impl {
  EVP_MD_CTX* context = nullptr;
  ~Impl() {
    if (context) EVP_MD_CTX_free(context);
  }
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  impl_->context = EVP_MD_CTX_new();
  if (!impl_->context || EVP_DigestInit_ex(impl_->context, EVP_sha256(), nullptr) != 1) {
    failure_ = make_error(Errc::internal, "cannot start a sha256 digest (OpenSSL)");
  }
}

Sha256::~Sha256() = default;

void Sha256::update(std::span<const char> bytes) {
  if (!failure_) EVP_DigestUpdate(impl_->context, bytes.data(), bytes.size());
}

Result<std::string> Sha256::finish() {
  if (failure_) return *failure_;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(impl_->context, digest.data(), &length) != 1) {
    return make_error(Errc::internal, "cannot finish a sha256 digest (OpenSSL)");
  }
  return to_hex(std::span<const unsigned char>(digest.data(), length));
}

}  // namespace silo::layers
