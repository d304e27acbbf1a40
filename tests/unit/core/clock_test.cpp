#include "core/clock.h"

#include <gtest/gtest.h>

namespace silo {
namespace {

constexpr TimeNs kSecond = 1'000'000'000;

TEST(Clock, FormatsRfc3339WithNanoseconds) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(format_rfc3339(1700000000 * kSecond + 5), "2023-11-14T22:13:20.000000005Z");
  EXPECT_EQ(format_rfc3339(951782400 * kSecond), "2000-02-29T00:00:00.000000000Z");  // leap day
}

TEST(Clock, ParsesRfc3339InUtcAndWithOffsets) {
  EXPECT_EQ(parse_time("2023-11-14T22:13:20Z").value(), 1700000000 * kSecond);
  EXPECT_EQ(parse_time("2023-11-14T22:13:20.5Z").value(), 1700000000 * kSecond + kSecond / 2);
  EXPECT_EQ(parse_time("2023-11-15T00:13:20+02:00").value(), 1700000000 * kSecond);
  EXPECT_EQ(parse_time("2023-11-14T21:13:20-01:00").value(), 1700000000 * kSecond);
  EXPECT_EQ(parse_time("2023-11-14T22:13:20.000000005Z").value(), 1700000000 * kSecond + 5);
}

TEST(Clock, ParsesUnixSecondsWithFraction) {
  EXPECT_EQ(parse_time("1700000000").value(), 1700000000 * kSecond);
  EXPECT_EQ(parse_time("1700000000.25").value(), 1700000000 * kSecond + kSecond / 4);
}

TEST(Clock, FormatAndParseRoundTrip) {
  for (TimeNs t : {TimeNs{0}, TimeNs{1234567890123456789}, TimeNs{4102444799} * kSecond + 999999999}) {
    EXPECT_EQ(parse_time(format_rfc3339(t)).value(), t);
  }
}

TEST(Clock, RejectsMalformedTimesNamingTheValue) {
  for (const char* bad : {"", "yesterday", "2023-13-01T00:00:00Z", "2023-11-14 22:13:20Z", "2023-11-14T22:13:20",
                          "2023-11-14T22:13:20.Z", "17e9", "-5", "1700000000.", "2023-11-14T22:13:20Zjunk"}) {
    auto r = parse_time(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    EXPECT_NE(r.error().message.find(std::string("\"") + bad + "\""), std::string::npos) << r.error().message;
  }
}

TEST(Clock, SystemClockIsNearNow) {
  SystemClock clock;
  TimeNs a = clock.now();
  TimeNs b = clock.now();
  EXPECT_LE(a, b);
  EXPECT_GT(a, 1700000000 * kSecond);  // after Nov 2023
}

}  // namespace
}  // namespace silo
