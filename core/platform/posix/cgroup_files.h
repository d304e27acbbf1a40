// Small helpers for reading and writing cgroup control files (posix bodies only).
#pragma once

#include "core/errors.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace silo::platform::cgroup_files {

// Writes `value` with a single write(2), as the kernel expects for control files.
Result<void> write_value(const std::filesystem::path& file, std::string_view value);
Result<std::string> read_value(const std::filesystem::path& file);
// A number, or nullopt for "max" (and for v1's "unlimited" sentinel near 2^63).
Result<std::optional<std::uint64_t>> read_limit(const std::filesystem::path& file);
std::uint64_t read_number_or_zero(const std::filesystem::path& file);
// The value of `key` in a "key value" per line file (cpu.stat, memory.events, memory.oom_control).
std::optional<std::uint64_t> read_keyed(const std::filesystem::path& file, std::string_view key);

}  // namespace silo::platform::cgroup_files
