#include "core/errors.h"

#include <gtest/gtest.h>

namespace silo {
namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return make_error(Errc::invalid_argument, "n must be even, got " + std::to_string(n));
  return n / 2;
}

Result<int> quarter(int n) {
  auto h = half(n);
  SILO_TRY(h);
  return half(*h);
}

TEST(Errors, ErrcConvertsToErrorCodeInTheSiloCategory) {
  std::error_code ec = Errc::not_found;
  EXPECT_EQ(&ec.category(), &silo_category());
  EXPECT_EQ(ec.message(), "not_found");
  EXPECT_STREQ(ec.category().name(), "silo");
}

TEST(Errors, EveryErrcHasItsWireName) {
  EXPECT_EQ(to_string(Errc::already_exists), "already_exists");
  EXPECT_EQ(to_string(Errc::failed_precondition), "failed_precondition");
  EXPECT_EQ(to_string(Errc::resource_exhausted), "resource_exhausted");
  EXPECT_EQ(to_string(Errc::permission_denied), "permission_denied");
}

TEST(Errors, ResultCarriesValueOrError) {
  auto ok = quarter(8);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 2);

  auto bad = quarter(6);  // 6/2 = 3 is odd
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid_argument);
  EXPECT_EQ(bad.error().message, "n must be even, got 3");
}

TEST(Errors, ValueOnAnErrorThrowsWithTheMessage) {
  auto bad = half(1);
  try {
    (void)bad.value();
    FAIL() << "value() on an error must throw";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, Errc::invalid_argument);
    EXPECT_STREQ(e.what(), "invalid_argument: n must be even, got 1");
  }
}

TEST(Errors, ErrnoErrorNamesTheOperationAndTheErrno) {
  Error e = errno_error(Errc::unavailable, "open /nope", ENOENT);
  EXPECT_EQ(e.code, Errc::unavailable);
  EXPECT_NE(e.message.find("open /nope: "), std::string::npos);
  EXPECT_NE(e.message.find("(errno " + std::to_string(ENOENT) + ")"), std::string::npos);
}

}  // namespace
}  // namespace silo
