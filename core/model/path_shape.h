// Shape checks for paths that arrive in specs. They look at text only (no file system access) and
// accept both Linux and Windows forms, because a spec is validated before the daemon knows which
// backend runs it.
#pragma once

#include <string>
#include <string_view>

namespace silo::path_shape {

// "\\.\pipe\<name>" with a non-empty name.
bool is_named_pipe(std::string_view path) noexcept;

// "/..." or "X:\..." / "X:/..." (a drive-absolute Windows path). Named pipes are not included.
bool is_absolute(std::string_view path) noexcept;

// "X:\..." / "X:/..." only.
bool is_windows_drive_absolute(std::string_view path) noexcept;

// True when any component (split on '/' and '\') is "..": such a path can step outside where it
// seems to point, so specs refuse it.
bool has_parent_component(std::string_view path) noexcept;

// A key under which two spellings of the same mount target compare equal: separators unified to
// '/', repeated separators collapsed, a trailing separator dropped, and Windows forms (drive paths,
// named pipes) lower-cased because Windows compares paths case-insensitively.
std::string comparison_key(std::string_view path);

// True when `path` equals `base` or lies under it, compared as comparison_key does.
bool is_same_or_under(std::string_view path, std::string_view base);

}  // namespace silo::path_shape
