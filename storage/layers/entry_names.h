// The name rules of safe extraction, as pure functions: what an entry name may be, how it splits
// into components, whether a symlink target climbs out, and how OCI whiteouts are spelled.
#pragma once

#include "core/errors.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace silo::layers {

// "./a//b/" -> {"a","b"}. Refuses absolute names, any ".." component, NUL bytes and names longer
// than max_bytes. An empty result is the layer root itself ("./").
Result<std::vector<std::string>> split_entry_name(std::string_view name, std::uint64_t max_bytes);

// True when a relative symlink target, resolved lexically from the link's own folder, stays in the
// layer. Absolute targets are not judged here: they mean the container's root (see tar_extract.h).
bool relative_target_stays_inside(const std::vector<std::string>& link_parts, std::string_view target);

inline constexpr std::string_view kWhiteoutPrefix = ".wh.";
inline constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";

// For ".wh.name" the name it deletes; nullopt for an ordinary name (and for the opaque marker).
std::optional<std::string> whiteout_target(std::string_view base);

std::string join_parts(const std::vector<std::string>& parts, std::size_t count);

}  // namespace silo::layers
