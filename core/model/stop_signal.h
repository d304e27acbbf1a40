// Signals a client may name for stop and kill. Numbers follow Linux; on Windows the backend maps
// them (SIGTERM/SIGINT to a console control event, SIGKILL to termination), so the set is kept to
// what both can honour, plus raw numbers for Linux programs that expect others.
#pragma once

#include "core/errors.h"

#include <string>
#include <string_view>

namespace silo {

inline constexpr int kSignalNumberMax = 64;

// "SIGTERM", "TERM", "15": the signal number, or invalid_argument naming `field`, the value and
// the allowed set.
Result<int> parse_signal(std::string_view field, std::string_view text);

// "SIGTERM" for 15; the number as text for signals without a name here.
std::string signal_name(int number);

}  // namespace silo
