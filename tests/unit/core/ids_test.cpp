#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace silo::ids {
namespace {

TEST(Ids, GeneratedIdsAre64LowercaseHexAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = generate();
    ASSERT_TRUE(is_full_id(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(Ids, GeneratedIdsUseEveryHexDigit) {
  // 1000 ids of 64 digits: a generator stuck on a subset of digits would show here.
  std::set<char> digits;
  for (int i = 0; i < 1000; ++i) {
    for (char c : generate()) digits.insert(c);
  }
  EXPECT_EQ(digits.size(), 16U);
}

TEST(Ids, FullIdShape) {
  EXPECT_TRUE(is_full_id(std::string(64, 'a')));
  EXPECT_FALSE(is_full_id(std::string(63, 'a')));
  EXPECT_FALSE(is_full_id(std::string(65, 'a')));
  EXPECT_FALSE(is_full_id(std::string(64, 'A')));  // uppercase is not our shape
  EXPECT_FALSE(is_full_id(std::string(63, 'a') + "g"));
}

TEST(Ids, PrefixShapeRejectsPathsAndWildcards) {
  EXPECT_TRUE(is_id_prefix("a"));
  EXPECT_TRUE(is_id_prefix("0123abcdef"));
  EXPECT_FALSE(is_id_prefix(""));
  EXPECT_FALSE(is_id_prefix("../etc"));
  EXPECT_FALSE(is_id_prefix("ab%"));
  EXPECT_FALSE(is_id_prefix("ab_"));
  EXPECT_FALSE(is_id_prefix(std::string(65, 'a')));
}

TEST(Ids, ShortenKeepsTwelveCharacters) {
  EXPECT_EQ(shorten("0123456789abcdef0123"), "0123456789ab");
  EXPECT_EQ(shorten("abc"), "abc");
}

TEST(Ids, PickUniqueDistinguishesNoneOneAndMany) {
  std::vector<std::string> none;
  auto r0 = pick_unique("container", "ab", none);
  ASSERT_FALSE(r0);
  EXPECT_EQ(r0.error().code, Errc::not_found);
  EXPECT_EQ(r0.error().message, "no container with id or name \"ab\"");

  std::vector<std::string> one{"abc"};
  EXPECT_EQ(pick_unique("container", "ab", one).value(), "abc");

  std::vector<std::string> two{"abc", "abd"};
  auto r2 = pick_unique("layer", "ab", two);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, Errc::invalid_argument);
  EXPECT_NE(r2.error().message.find("matches more than one layer"), std::string::npos);
}

}  // namespace
}  // namespace silo::ids
