// The writing side of container logs, used by silo-monitor: turns the raw bytes read from a
// process's stdout and stderr pipes into timestamped entries and rotates the file by size.
#pragma once

#include "core/clock.h"
#include "core/errors.h"
#include "core/logs/log_entry.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace silo::logs {

struct LogWriterOptions {
  std::int64_t max_size_bytes = 10 * 1024 * 1024;
  // How many files to keep, the current one included; 1 truncates the file when it is full.
  std::int64_t max_files = 3;
};

class LogWriter {
 public:
  static Result<LogWriter> open(const std::filesystem::path& state_dir, const LogWriterOptions& options,
                                const Clock& clock);

  // Complete lines are written at once; the rest of a line waits for its '\n', for 16 KiB, or for
  // finish().
  Result<void> append(std::string_view stream, std::string_view bytes);
  // Writes what is left of the stream's last line (the process ended without a final newline).
  Result<void> finish(std::string_view stream);

 private:
  struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };

  LogWriter(std::filesystem::path state_dir, const LogWriterOptions& options, const Clock& clock);
  Result<void> write_entry(std::string_view stream, std::string text);
  Result<void> rotate();
  Result<void> open_current(const char* mode);

  std::filesystem::path state_dir_;
  LogWriterOptions options_;
  const Clock* clock_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::int64_t size_ = 0;
  std::map<std::string, std::string, std::less<>> partial_;
};

}  // namespace silo::logs
