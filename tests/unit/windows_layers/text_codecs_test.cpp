#include "storage/windows_layers/text_codecs.h"

#include <gtest/gtest.h>

namespace silo::windows_layers {
namespace {

TEST(TextCodecs, Base64DecodesPaddedTextAndRefusesAnythingElse) {
  EXPECT_EQ(*decode_base64(""), "");
  EXPECT_EQ(*decode_base64("Zg=="), "f");
  EXPECT_EQ(*decode_base64("Zm8="), "fo");
  EXPECT_EQ(*decode_base64("Zm9v"), "foo");
  EXPECT_EQ(*decode_base64("AAEC/w=="), std::string("\x00\x01\x02\xff", 4));
  EXPECT_FALSE(decode_base64("Zg"));      // missing padding
  EXPECT_FALSE(decode_base64("Zg=a"));    // padding in the middle
  EXPECT_FALSE(decode_base64("Zm 9v"));   // whitespace
  EXPECT_FALSE(decode_base64("Zg==Zg=="));  // padding before the end
  EXPECT_NE(decode_base64("Z$==").error().message.find("invalid character at 1"), std::string::npos);
}

TEST(TextCodecs, Utf8BecomesUtf16WithSurrogatePairs) {
  EXPECT_EQ(*utf8_to_utf16("a\xc3\xa9\xe2\x82\xac"), u"a\u00e9\u20ac");
  EXPECT_EQ(*utf8_to_utf16("\xf0\x9f\x98\x80"), u"\U0001F600");
  EXPECT_FALSE(utf8_to_utf16("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(utf8_to_utf16("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(utf8_to_utf16("\xe2\x82"));          // truncated
  EXPECT_NE(utf8_to_utf16("x\xff").error().message.find("not valid UTF-8"), std::string::npos);
}

}  // namespace
}  // namespace silo::windows_layers
