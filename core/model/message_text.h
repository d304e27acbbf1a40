// Small helpers that put user-supplied values into error messages safely and the same way
// everywhere: quoted, cut to 64 bytes, so a hostile megabyte never lands in a log line.
#pragma once

#include "core/errors.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace silo::message {

// "\"value\"" or "\"first 64 bytes...\"".
std::string quoted(std::string_view value);

// An invalid_argument Error with the given text.
Error invalid(std::string text);

// "<field> <value> is below the minimum of <min>" and friends, for integer range checks.
// `min_note` / `max_note` (" (6 MiB)") are appended to the limit when not empty.
Result<void> check_range(std::string_view field, std::int64_t value, std::int64_t min, std::int64_t max,
                         std::string_view min_note = {}, std::string_view max_note = {});

}  // namespace silo::message
