// Object ids: 64 lowercase hex characters (256 random bits), shown shortened to 12 like docker, and
// accepted as any unique prefix.
#pragma once

#include "core/errors.h"

#include <span>
#include <string>
#include <string_view>

namespace silo::ids {

inline constexpr std::size_t kIdLength = 64;
inline constexpr std::size_t kShortIdLength = 12;

// A new id from the operating system's random source.
std::string generate();

bool is_full_id(std::string_view text) noexcept;

// 1 to 64 lowercase hex characters: the only shape of text that may be looked up as an id prefix.
bool is_id_prefix(std::string_view text) noexcept;

std::string_view shorten(std::string_view id) noexcept;

// Chooses the one id among `matches` (the ids that start with `prefix`). `kind` names the object
// in messages ("container"). No match is not_found; more than one is invalid_argument, because the
// caller must give more characters.
Result<std::string> pick_unique(std::string_view kind, std::string_view prefix, std::span<const std::string> matches);

}  // namespace silo::ids
