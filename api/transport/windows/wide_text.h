// UTF-8 <-> UTF-16 for the Win32 calls of the named-pipe transport (pipe names, SDDL, account names).
#pragma once

#include <string>
#include <string_view>

namespace silo::api::windows {

std::wstring to_wide(std::string_view text);
std::string to_utf8(std::wstring_view text);

}  // namespace silo::api::windows
