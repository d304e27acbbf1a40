// UTF-8 <-> UTF-16 for the PCWSTR documents HCS takes and the PWSTR documents it returns.
#pragma once

#include <windows.h>

#include <string>
#include <string_view>

namespace silo::hcs::computecore {

std::wstring to_wide(std::string_view text);
std::string to_utf8(const wchar_t* text);

// A result document HCS allocated: converted to UTF-8 and freed with LocalFree, as the HCS
// documentation says (hcsshim uses CoTaskMemFree; both free the same heap on current Windows).
std::string take_document(PWSTR document);

}  // namespace silo::hcs::computecore
