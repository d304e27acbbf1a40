// Time as silo records it: nanoseconds since the Unix epoch, UTC, read through an injected Clock so
// tests can control it. Formatting follows RFC 3339 with nanoseconds, as docker's API does.
#pragma once

#include "core/errors.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace silo {

using TimeNs = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeNs now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeNs now() const override;
};

// "2026-11-22T05:23:16.123456789Z"
std::string format_rfc3339(TimeNs t);

// Accepts RFC 3339 ("...Z" or "+hh:mm", optional fraction up to 9 digits) or Unix seconds with an
// optional fraction ("1700000000.5"), the two forms docker's since/until take.
Result<TimeNs> parse_time(std::string_view text);

}  // namespace silo
