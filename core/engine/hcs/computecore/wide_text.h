// Text for the PCWSTR documents HCS takes and the PWSTR documents it returns. The conversions are
// silo's one pair (core/platform/windows/wide_text.h); HCS's results add a nul-terminated string
// that may be null, and one that must be freed.
#pragma once

#include <windows.h>

#include "core/platform/windows/wide_text.h"

#include <string>

namespace silo::hcs::computecore {

using platform::windows::to_wide;

// A nul-terminated UTF-16 string HCS wrote, or null (an empty string).
std::string to_utf8(const wchar_t* text);

// A result document HCS allocated: converted to UTF-8 and freed with LocalFree, as the HCS
// documentation says (hcsshim uses CoTaskMemFree; both free the same heap on current Windows).
std::string take_document(PWSTR document);

}  // namespace silo::hcs::computecore
