#include "core/clock.h"

#include <charconv>
#include <cstdio>

namespace silo {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

// Calendar arithmetic from Howard Hinnant's public-domain date algorithms: portable, and free of
// gmtime_r/gmtime_s differences between POSIX and Windows.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

Error bad_time(std::string_view text) {
  return make_error(Errc::invalid_argument,
                    "time \"" + std::string(text) +
                        "\" is neither RFC 3339 (2006-01-02T15:04:05Z) nor Unix seconds (1700000000.5)");
}

// Reads exactly `width` digits at text[pos].
bool read_digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > text.size()) return false;
  auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + width, out);
  return ec == std::errc() && ptr == text.data() + pos + width;
}

// Parses ".123" style fractions into nanoseconds; returns the index after the digits.
std::size_t read_fraction(std::string_view text, std::size_t pos, std::int64_t& ns, bool& ok) {
  ns = 0;
  ok = true;
  if (pos >= text.size() || text[pos] != '.') return pos;
  ++pos;
  std::size_t digits = 0;
  std::int64_t scale = kNsPerSecond;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    if (digits < 9) {
      scale /= 10;
      ns += (text[pos] - '0') * scale;
    }
    ++digits;
    ++pos;
  }
  ok = digits > 0 && digits <= 9;
  return pos;
}

Result<TimeNs> parse_unix_seconds(std::string_view text) {
  std::int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || seconds < 0 || seconds > 9'000'000'000LL) return bad_time(text);
  std::int64_t ns = 0;
  bool ok = true;
  auto end = read_fraction(text, static_cast<std::size_t>(ptr - text.data()), ns, ok);
  if (!ok || end != text.size()) return bad_time(text);
  return seconds * kNsPerSecond + ns;
}

Result<TimeNs> parse_rfc3339(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, 0, 4, year) || text[4] != '-' || !read_digits(text, 5, 2, month) || text[7] != '-' ||
      !read_digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') || !read_digits(text, 11, 2, hour) ||
      text[13] != ':' || !read_digits(text, 14, 2, minute) || text[16] != ':' || !read_digits(text, 17, 2, second)) {
    return bad_time(text);
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return bad_time(text);
  }
  std::int64_t ns = 0;
  bool ok = true;
  std::size_t pos = read_fraction(text, 19, ns, ok);
  if (!ok || pos >= text.size()) return bad_time(text);
  std::int64_t offset_seconds = 0;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int oh = 0, om = 0;
    if (!read_digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !read_digits(text, pos + 4, 2, om) || oh > 23 || om > 59) {
      return bad_time(text);
    }
    offset_seconds = (oh * 3600 + om * 60) * (text[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return bad_time(text);
  }
  if (pos != text.size()) return bad_time(text);
  std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  if (seconds < 0) return bad_time(text);
  return seconds * kNsPerSecond + ns;
}

}  // namespace

TimeNs SystemClock::now() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_rfc3339(TimeNs t) {
  std::int64_t seconds = t / kNsPerSecond;
  std::int64_t ns = t % kNsPerSecond;
  if (ns < 0) {
    ns += kNsPerSecond;
    --seconds;
  }
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  Civil c = civil_from_days(days);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%09lldZ", static_cast<long long>(c.year),
                c.month, c.day, static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                static_cast<long long>(rem % 60), static_cast<long long>(ns));
  return buf;
}

Result<TimeNs> parse_time(std::string_view text) {
  if (text.size() >= 20 && text[4] == '-') return parse_rfc3339(text);
  if (!text.empty() && text[0] >= '0' && text[0] <= '9') return parse_unix_seconds(text);
  return bad_time(text);
}

}  // namespace silo
