#include "core/logs/log_writer.h"

#include <cerrno>
#include <system_error>

namespace silo::logs {

LogWriter::LogWriter(std::filesystem::path state_dir, const LogWriterOptions& options, const Clock& clock)
    : state_dir_(std::move(state_dir)), options_(options), clock_(&clock) {}

Result<LogWriter> LogWriter::open(const std::filesystem::path& state_dir, const LogWriterOptions& options,
                                  const Clock& clock) {
  LogWriter writer(state_dir, options, clock);
  SILO_TRY(writer.open_current("ab"));
  std::error_code ec;
  const auto size = std::filesystem::file_size(log_file(state_dir), ec);
  writer.size_ = ec ? 0 : static_cast<std::int64_t>(size);
  return writer;
}

Result<void> LogWriter::open_current(const char* mode) {
  // string(): fopen takes narrow names on every platform (path::c_str() is wide on Windows).
  file_.reset(std::fopen(log_file(state_dir_).string().c_str(), mode));
  if (!file_) return errno_error(Errc::internal, "open " + log_file(state_dir_).string(), errno);
  size_ = 0;
  return {};
}

Result<void> LogWriter::append(std::string_view stream, std::string_view bytes) {
  std::string& pending = partial_[std::string(stream)];
  while (!bytes.empty()) {
    const auto newline = bytes.find('\n');
    const std::size_t take = newline == std::string_view::npos ? bytes.size() : newline + 1;
    const std::size_t room = kMaxLineBytes - pending.size();
    if (take > room) {
      // A line longer than the limit: write what fits now and continue in the next entry.
      pending.append(bytes.substr(0, room));
      bytes.remove_prefix(room);
      SILO_TRY(write_entry(stream, std::move(pending)));
      pending.clear();
      continue;
    }
    pending.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (newline != std::string_view::npos || pending.size() == kMaxLineBytes) {
      SILO_TRY(write_entry(stream, std::move(pending)));
      pending.clear();
    }
  }
  return {};
}

Result<void> LogWriter::finish(std::string_view stream) {
  auto found = partial_.find(stream);
  if (found == partial_.end() || found->second.empty()) return {};
  std::string text = std::move(found->second);
  found->second.clear();
  return write_entry(stream, std::move(text));
}

Result<void> LogWriter::write_entry(std::string_view stream, std::string text) {
  const std::string line = encode_entry(LogEntry{clock_->now(), std::string(stream), std::move(text)});
  const auto line_size = static_cast<std::int64_t>(line.size());
  if (size_ > 0 && size_ + line_size > options_.max_size_bytes) SILO_TRY(rotate());
  // One fwrite + fflush per entry: a reader never sees half an entry unless the disk is full.
  if (std::fwrite(line.data(), 1, line.size(), file_.get()) != line.size() || std::fflush(file_.get()) != 0) {
    return errno_error(Errc::internal, "write " + log_file(state_dir_).string(), errno);
  }
  size_ += line_size;
  return {};
}

Result<void> LogWriter::rotate() {
  file_.reset();
  if (options_.max_files <= 1) return open_current("wb");
  std::error_code ec;
  std::filesystem::remove(rotated_log_file(state_dir_, options_.max_files - 1), ec);
  for (std::int64_t n = options_.max_files - 2; n >= 1; --n) {
    if (std::filesystem::exists(rotated_log_file(state_dir_, n), ec)) {
      std::filesystem::rename(rotated_log_file(state_dir_, n), rotated_log_file(state_dir_, n + 1), ec);
    }
  }
  std::filesystem::rename(log_file(state_dir_), rotated_log_file(state_dir_, 1), ec);
  if (ec) return make_error(Errc::internal, "rotate " + log_file(state_dir_).string() + ": " + ec.message());
  return open_current("ab");
}

}  // namespace silo::logs
