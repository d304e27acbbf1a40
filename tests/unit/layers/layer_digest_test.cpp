// The digest that names a layer, on both platforms (OpenSSL on Linux, CNG under Wine): known
// sha256 vectors, and plain and gzip uploads of the same tar getting the same id.
#include "storage/layers/digesting_source.h"
#include "storage/layers/sha256.h"

#include "tests/unit/layers/tar_builder.h"

#include <gtest/gtest.h>

#include <string>

namespace silo::layers {
namespace {

using testing::gzip;

std::string sha256_of(const std::string& text, std::size_t piece) {
  Sha256 sha;
  for (std::size_t at = 0; at < text.size(); at += piece) sha.update(std::span<const char>(text).subspan(at, std::min(piece, text.size() - at)));
  auto hex = sha.finish();
  return hex ? *hex : "error: " + hex.error().message;
}

Result<std::string> digest_through(const std::string& upload, bool* compressed = nullptr) {
  MemorySource body(upload);
  DigestingSource source(body, 1 << 20);
  SILO_TRY(source.drain());
  if (compressed) *compressed = source.compressed();
  return source.hex_digest();
}

TEST(LayerDigest, Sha256MatchesTheStandardVectors) {
  EXPECT_EQ(sha256_of("", 1), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_of("abc", 1), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string long_text(1'000'000, 'a');
  EXPECT_EQ(sha256_of(long_text, 4096), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(LayerDigest, PlainAndGzipUploadsOfTheSameBytesGetTheSameId) {
  std::string tar(10 * 1024, '\0');
  for (std::size_t i = 0; i < tar.size(); ++i) tar[i] = static_cast<char>(i * 7);
  bool compressed = true;
  auto plain = digest_through(tar, &compressed);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_FALSE(compressed);
  auto zipped = digest_through(gzip(tar), &compressed);
  ASSERT_TRUE(zipped) << zipped.error().message;
  EXPECT_TRUE(compressed);
  EXPECT_EQ(*plain, *zipped);
  EXPECT_EQ(*plain, sha256_of(tar, tar.size()));
}

TEST(LayerDigest, ADamagedGzipStreamIsRefusedWithItsCause) {
  std::string zipped = gzip(std::string(4096, 'x'));
  zipped.resize(zipped.size() / 2);
  auto result = digest_through(zipped);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid_argument);
  EXPECT_NE(result.error().message.find("gzip stream is truncated"), std::string::npos) << result.error().message;
}

TEST(LayerDigest, TheUncompressedSizeLimitStopsAGzipBomb) {
  std::string zipped = gzip(std::string(4 << 20, '\0'));  // 4 MiB of zeros: a few KiB compressed
  MemorySource body(zipped);
  DigestingSource source(body, 1 << 20);
  auto drained = source.drain();
  ASSERT_FALSE(drained);
  EXPECT_NE(drained.error().message.find("max-layer-bytes"), std::string::npos) << drained.error().message;
}

}  // namespace
}  // namespace silo::layers
