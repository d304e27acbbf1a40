// The reading side of container logs, used by silod: everything logged so far (docker logs), or
// what is appended from now on (docker logs --follow). Works the same for a container's state
// directory and for an exec's.
#pragma once

#include "core/clock.h"
#include "core/errors.h"
#include "core/logs/log_entry.h"
#include "core/platform/file_identity.h"

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace silo::logs {

struct LogQuery {
  bool include_stdout = true;
  bool include_stderr = true;
  std::optional<std::size_t> tail;  // the last N entries after filtering
  std::optional<TimeNs> since;      // entries at or after
  std::optional<TimeNs> until;      // entries at or before
};

// True when `entry` passes the stream and time filters of `query` (tail aside).
bool matches(const LogEntry& entry, const LogQuery& query);

// Oldest rotated file first; tail applies after filtering. Empty when nothing was logged yet;
// not_found when state_dir does not exist. Lines that are not entries are skipped.
Result<std::vector<LogEntry>> read_logs(const std::filesystem::path& state_dir, const LogQuery& query);

class LogFollower {
 public:
  // Positioned at the current end: poll() returns only entries written after open().
  static Result<LogFollower> open(const std::filesystem::path& state_dir, const LogQuery& query);
  // Entries appended since the last poll; never blocks. Follows the file across rotation (an
  // entry is missed only if the writer rotates more than max_files times between two polls).
  Result<std::vector<LogEntry>> poll();

 private:
  LogFollower(std::filesystem::path state_dir, const LogQuery& query);
  void read_available(std::vector<LogEntry>& out);
  void open_file(bool at_end);

  std::filesystem::path state_dir_;
  LogQuery query_;
  std::unique_ptr<std::ifstream> in_;
  std::optional<platform::FileIdentity> identity_;
  std::string partial_;
};

}  // namespace silo::logs
