// The first stage of an import: sniffs gzip by its magic bytes, inflates it if present, bounds the
// uncompressed size, and hashes every uncompressed byte with sha256 as it passes. The layer id is
// that digest, so plain and gzip uploads of the same tar get the same id.
#pragma once

#include "storage/layers/byte_source.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace silo::layers {

class DigestingSource final : public ByteSource {
 public:
  DigestingSource(ByteSource& upstream, std::uint64_t max_bytes);
  ~DigestingSource() override;
  DigestingSource(const DigestingSource&) = delete;
  DigestingSource& operator=(const DigestingSource&) = delete;

  Result<std::size_t> read(std::span<char> out) override;

  // Reads (and hashes) whatever the consumer left unread, so the digest covers the whole stream.
  Result<void> drain();
  // Lowercase hex sha256 of the uncompressed bytes; call once, after the stream ended.
  Result<std::string> hex_digest();
  std::uint64_t total_bytes() const noexcept { return total_; }
  bool compressed() const noexcept { return gzip_; }

 private:
  Result<std::size_t> read_plain(std::span<char> out);
  Result<std::size_t> read_gzip(std::span<char> out);
  Result<std::size_t> fill_input();

  struct Impl;
  ByteSource& upstream_;
  std::uint64_t max_bytes_;
  std::uint64_t total_ = 0;
  std::unique_ptr<Impl> impl_;
  std::vector<char> input_;
  std::size_t input_begin_ = 0;
  std::size_t input_end_ = 0;
  bool sniffed_ = false;
  bool gzip_ = false;
  bool upstream_ended_ = false;
  bool inflate_ended_ = false;
};

}  // namespace silo::layers
