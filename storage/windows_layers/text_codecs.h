// The two text encodings a Windows layer tar needs turned into bytes: base64 (pax records carry
// security descriptors and extended attributes that way) and UTF-16 (Windows' names).
#pragma once

#include "core/errors.h"

#include <string>
#include <string_view>

namespace silo::windows_layers {

// UTF-8 to UTF-16 (strict: malformed UTF-8, overlong forms and surrogates are errors).
Result<std::u16string> utf8_to_utf16(std::string_view text);

// RFC 4648 base64 with the standard alphabet and padding, as Go's base64.StdEncoding writes it.
// Whitespace and missing padding are errors, like Go's decoder.
Result<std::string> decode_base64(std::string_view text);

}  // namespace silo::windows_layers
