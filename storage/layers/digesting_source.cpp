#include "storage/layers/digesting_source.h"

#include "storage/layers/sha256.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace silo::layers {
namespace {

constexpr std::size_t kInputBytes = 256 * 1024;

}  // namespace

struct DigestingSource::Impl {
  Sha256 sha;
  z_stream zs{};
  bool inflating = false;

  ~Impl() {
    if (inflating) inflateEnd(&zs);
  }
};

DigestingSource::DigestingSource(ByteSource& upstream, std::uint64_t max_bytes)
    : upstream_(upstream), max_bytes_(max_bytes), impl_(std::make_unique<Impl>()), input_(kInputBytes) {}

DigestingSource::~DigestingSource() = default;

Result<std::size_t> DigestingSource::fill_input() {
  if (input_begin_ == input_end_) input_begin_ = input_end_ = 0;
  if (upstream_ended_ || input_end_ == input_.size()) return input_end_ - input_begin_;
  auto n = upstream_.read(std::span<char>(input_.data() + input_end_, input_.size() - input_end_));
  if (!n) return n.error();
  if (*n == 0) upstream_ended_ = true;
  input_end_ += *n;
  return input_end_ - input_begin_;
}

Result<std::size_t> DigestingSource::read(std::span<char> out) {
  if (impl_->sha.failure()) return *impl_->sha.failure();
  if (!sniffed_) {
    // Two bytes decide: 1f 8b is gzip, anything else is taken as a plain tar.
    while (input_end_ - input_begin_ < 2 && !upstream_ended_) {
      auto n = fill_input();
      if (!n) return n.error();
    }
    sniffed_ = true;
    gzip_ = input_end_ - input_begin_ >= 2 && static_cast<unsigned char>(input_[input_begin_]) == 0x1f &&
            static_cast<unsigned char>(input_[input_begin_ + 1]) == 0x8b;
  }
  auto n = gzip_ ? read_gzip(out) : read_plain(out);
  if (!n) return n;
  total_ += *n;
  if (total_ > max_bytes_) {
    return make_error(Errc::invalid_argument, "the layer is larger than the limit of " + std::to_string(max_bytes_) +
                                                  " uncompressed bytes (max-layer-bytes)");
  }
  impl_->sha.update(std::span<const char>(out.data(), *n));
  return n;
}

Result<std::size_t> DigestingSource::read_plain(std::span<char> out) {
  if (input_begin_ == input_end_) {
    auto n = fill_input();
    if (!n) return n.error();
  }
  std::size_t n = std::min(out.size(), input_end_ - input_begin_);
  std::memcpy(out.data(), input_.data() + input_begin_, n);
  input_begin_ += n;
  return n;
}

Result<std::size_t> DigestingSource::read_gzip(std::span<char> out) {
  auto& zs = impl_->zs;
  if (!impl_->inflating) {
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return make_error(Errc::internal, "cannot start gzip decompression");
    impl_->inflating = true;
  }
  while (!inflate_ended_) {
    if (input_begin_ == input_end_) {
      auto filled = fill_input();
      if (!filled) return filled.error();
      if (*filled == 0) return make_error(Errc::invalid_argument, "the gzip stream is truncated");
    }
    zs.next_in = reinterpret_cast<Bytef*>(input_.data() + input_begin_);
    zs.avail_in = static_cast<uInt>(input_end_ - input_begin_);
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size(), 1U << 30));
    int rc = inflate(&zs, Z_NO_FLUSH);
    input_begin_ = input_end_ - zs.avail_in;
    std::size_t produced = static_cast<std::size_t>(reinterpret_cast<char*>(zs.next_out) - out.data());
    if (rc == Z_STREAM_END) {
      // Concatenated members (pigz, appended gzip files) continue the same stream.
      auto more = fill_input();
      if (!more) return more.error();
      if (*more == 0) inflate_ended_ = true;
      else inflateReset(&zs);
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return make_error(Errc::invalid_argument, std::string("the gzip stream is damaged: ") + (zs.msg ? zs.msg : "inflate failed"));
    }
    if (produced > 0 || out.empty()) return produced;
  }
  return std::size_t{0};
}

Result<void> DigestingSource::drain() {
  std::array<char, 64 * 1024> scratch{};
  for (;;) {
    auto n = read(scratch);
    if (!n) return n.error();
    if (*n == 0) return {};
  }
}

Result<std::string> DigestingSource::hex_digest() { return impl_->sha.finish(); }

}  // namespace silo::layers
