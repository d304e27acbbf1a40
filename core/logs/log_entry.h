// One line of a container's output as silo stores it: JSON lines in the json-file format docker
// uses, {"log":"text\n","stream":"stdout","time":"2026-11-22T05:23:16.123456789Z"}, in
// <state_dir>/container.log, rotated by size into container.log.1 (newest) ... container.log.N-1.
#pragma once

#include "core/clock.h"
#include "core/errors.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace silo::logs {

struct LogEntry {
  TimeNs time = 0;
  std::string stream;  // "stdout" | "stderr"
  std::string text;    // one line incl. its '\n' if it had one
};

inline constexpr std::string_view kLogFileName = "container.log";
// Longer lines are split into several entries (docker's json-file does the same at 16 KiB).
inline constexpr std::size_t kMaxLineBytes = 16 * 1024;

std::filesystem::path log_file(const std::filesystem::path& state_dir);
// container.log.<n>; n >= 1, higher is older.
std::filesystem::path rotated_log_file(const std::filesystem::path& state_dir, std::int64_t n);

// One JSON line including its '\n'. Bytes that are not UTF-8 become U+FFFD.
std::string encode_entry(const LogEntry& entry);
// invalid_argument for a line that is not an entry (a torn last line after a crash, for example).
Result<LogEntry> decode_entry(std::string_view line);

}  // namespace silo::logs
