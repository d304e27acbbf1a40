#include "core/model/validation.h"

#include <gtest/gtest.h>

namespace silo::validation {
namespace {

void expect_invalid(const Result<void>& r, const std::string& fragment) {
  ASSERT_FALSE(r) << "expected a rejection mentioning: " << fragment;
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
}

TEST(Validation, NamesFollowDockersPattern) {
  EXPECT_TRUE(check_name("name", "web"));
  EXPECT_TRUE(check_name("name", "a1"));
  EXPECT_TRUE(check_name("name", "my_app.v2-blue"));
  expect_invalid(check_name("name", "a"), "must be 2 to 128 characters");
  expect_invalid(check_name("name", ""), "must be 2 to 128 characters");
  expect_invalid(check_name("name", "-web"), "[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  expect_invalid(check_name("name", "/web"), "[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  expect_invalid(check_name("name", "we b"), "[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  expect_invalid(check_name("name", "../x"), "[a-zA-Z0-9][a-zA-Z0-9_.-]+");
}

TEST(Validation, NameLengthLimitIsConfigurableAndNamed) {
  EXPECT_TRUE(check_name("name", std::string(128, 'a')));
  expect_invalid(check_name("name", std::string(129, 'a')), "name \"" + std::string(64, 'a') + "...\"");
  Limits tight;
  tight.name_max = 4;
  expect_invalid(check_name("sandbox.name", "abcde", tight), "sandbox.name \"abcde\" must be 2 to 4 characters");
}

TEST(Validation, LabelKeysAndValues) {
  EXPECT_TRUE(check_labels("labels", {{"com.example.tier", "web"}, {"app", ""}}));
  expect_invalid(check_labels("labels", {{"", "x"}}), "empty label key");
  expect_invalid(check_labels("labels", {{".hidden", "x"}}), "labels[\".hidden\"]: a label key must start");
  expect_invalid(check_labels("labels", {{"a b", "x"}}), "labels[\"a b\"]");
  expect_invalid(check_labels("labels", {{"k", std::string(4097, 'v')}}), "value is 4097 bytes; at most 4096");
  expect_invalid(check_labels("labels", {{std::string(257, 'k'), "v"}}), "key is 257 bytes; at most 256");
  expect_invalid(check_labels("labels", {{"k", std::string("a\0b", 3)}}), "UTF-8 text without NUL");
  expect_invalid(check_labels("labels", {{"k", "\xff\xfe"}}), "UTF-8 text without NUL");
}

TEST(Validation, LabelCountAndTotalSizeAreLimited) {
  StringMap many;
  for (int i = 0; i < 129; ++i) many["k" + std::to_string(i)] = "v";
  expect_invalid(check_labels("labels", many), "labels has 129 entries; at most 128 are allowed");

  Limits small;
  small.map_total_bytes_max = 10;
  expect_invalid(check_labels("labels", {{"key", "0123456789"}}, small), "labels total 13 bytes; at most 10");
}

TEST(Validation, AnnotationsAcceptTheHostProcessKeysAndLongerValues) {
  EXPECT_TRUE(check_annotations("annotations", {{"microsoft.com/hostprocess-container", "true"},
                                                {"microsoft.com/hostprocess-rootfs-location", "C:\\hpc"}}));
  EXPECT_TRUE(check_annotations("annotations", {{"k", std::string(16384, 'v')}}));
  expect_invalid(check_annotations("annotations", {{"k", std::string(16385, 'v')}}),
                 "value is 16385 bytes; at most 16384");
}

TEST(Validation, Utf8RejectsOverlongSurrogatesAndTruncation) {
  EXPECT_TRUE(is_valid_utf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

}  // namespace
}  // namespace silo::validation
