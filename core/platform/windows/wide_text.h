// UTF-8 <-> UTF-16 for the Win32 "W" functions: silo keeps text in UTF-8 everywhere else.
#pragma once

#include <string>
#include <string_view>

namespace silo::platform::windows {

std::wstring to_wide(std::string_view text);
std::string to_utf8(std::wstring_view text);

}  // namespace silo::platform::windows
