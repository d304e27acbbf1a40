// The binary structures of the backup stream, against layouts from the Windows SDK.
#include "storage/windows_layers/backup_stream.h"

#include <gtest/gtest.h>

#include <string>

namespace silo::windows_layers {
namespace {

using namespace std::string_literals;

std::string utf16(const std::string& ascii) {
  std::string out;
  for (char c : ascii) out += std::string{c, '\0'};
  return out;
}

TEST(BackupStream, AStreamHeaderIsTwentyBytesThenItsName) {
  std::string out;
  append_stream_header(out, BackupStreamId::alternate_data, 0x0102030405ULL, u":s:$DATA");
  EXPECT_EQ(out, "\x04\0\0\0"s + "\0\0\0\0"s + "\x05\x04\x03\x02\x01\0\0\0"s + "\x10\0\0\0"s + utf16(":s:$DATA"));
}

TEST(BackupStream, AnAbsoluteSymlinkGetsTheNtPathAsItsSubstituteName) {
  auto reparse = encode_reparse_point("C:\\Windows", false);
  ASSERT_TRUE(reparse) << reparse.error().message;
  const std::string nt = utf16("\\??\\C:\\Windows");  // 14 units
  const std::string print = utf16("C:\\Windows");     // 10 units
  // length 8 + 30 + 22 + 4 = 64; print name after the substitute name and its NUL (offset 30).
  EXPECT_EQ(*reparse, "\x0c\0\0\xa0"s + "\x40\0"s + "\0\0"s + "\0\0"s + "\x1c\0"s + "\x1e\0"s + "\x14\0"s + "\0\0\0\0"s + nt + "\0\0"s + print +
                          "\0\0"s);
}

TEST(BackupStream, AJunctionHasNoSymlinkFlagsAndTheMountPointTag) {
  auto reparse = encode_reparse_point("\\\\?\\Volume{x}\\", true);
  ASSERT_TRUE(reparse) << reparse.error().message;
  EXPECT_EQ(reparse->substr(0, 4), "\x03\0\0\xa0"s);
  const std::string nt = utf16("\\??\\Volume{x}\\");
  EXPECT_EQ(reparse->substr(16, nt.size()), nt);  // no 4-byte flags before the names
}

TEST(BackupStream, AttributeNamesAndValuesAreBounded) {
  EXPECT_FALSE(encode_extended_attributes({{std::string(256, 'n'), "v"}}));
  EXPECT_FALSE(encode_extended_attributes({{"", "v"}}));
  EXPECT_FALSE(encode_extended_attributes({{"n", std::string(65536, 'v')}}));
  auto single = encode_extended_attributes({{"n", "v"}});
  ASSERT_TRUE(single);
  EXPECT_EQ(*single, "\0\0\0\0"s + "\0\x01\x01\0"s + "n\0v"s + "\0"s);  // 11 bytes padded to 12
}

}  // namespace
}  // namespace silo::windows_layers
