#include "core/logs/log_reader.h"

#include <deque>
#include <system_error>

namespace silo::logs {

namespace {

// Rotated files exist as .1 .. .N without gaps; the bound only protects against a runaway loop.
constexpr std::int64_t kMaxRotatedFiles = 10000;

void read_file(const std::filesystem::path& file, const LogQuery& query, std::deque<LogEntry>& out) {
  std::ifstream in(file, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    auto entry = decode_entry(line);
    if (!entry || !matches(*entry, query)) continue;
    out.push_back(std::move(*entry));
    if (query.tail && out.size() > *query.tail) out.pop_front();
  }
}

}  // namespace

bool matches(const LogEntry& entry, const LogQuery& query) {
  if (entry.stream == "stdout" && !query.include_stdout) return false;
  if (entry.stream == "stderr" && !query.include_stderr) return false;
  if (query.since && entry.time < *query.since) return false;
  if (query.until && entry.time > *query.until) return false;
  return true;
}

Result<std::vector<LogEntry>> read_logs(const std::filesystem::path& state_dir, const LogQuery& query) {
  std::error_code ec;
  if (!std::filesystem::is_directory(state_dir, ec)) {
    return make_error(Errc::not_found, "no log directory " + state_dir.string());
  }
  std::int64_t oldest = 0;
  while (oldest < kMaxRotatedFiles && std::filesystem::exists(rotated_log_file(state_dir, oldest + 1), ec)) ++oldest;
  std::deque<LogEntry> entries;
  for (std::int64_t n = oldest; n >= 1; --n) read_file(rotated_log_file(state_dir, n), query, entries);
  read_file(log_file(state_dir), query, entries);
  return std::vector<LogEntry>(std::make_move_iterator(entries.begin()), std::make_move_iterator(entries.end()));
}

LogFollower::LogFollower(std::filesystem::path state_dir, const LogQuery& query)
    : state_dir_(std::move(state_dir)), query_(query) {}

Result<LogFollower> LogFollower::open(const std::filesystem::path& state_dir, const LogQuery& query) {
  std::error_code ec;
  if (!std::filesystem::is_directory(state_dir, ec)) {
    return make_error(Errc::not_found, "no log directory " + state_dir.string());
  }
  LogFollower follower(state_dir, query);
  follower.open_file(true);
  return follower;
}

void LogFollower::open_file(bool at_end) {
  identity_ = platform::identify_file(log_file(state_dir_));
  in_ = std::make_unique<std::ifstream>(log_file(state_dir_), std::ios::binary);
  partial_.clear();
  if (!*in_) {
    in_.reset();
    identity_.reset();
    return;
  }
  if (at_end) in_->seekg(0, std::ios::end);
}

void LogFollower::read_available(std::vector<LogEntry>& out) {
  if (!in_) return;
  in_->clear();
  char buffer[8192];
  // Bounded: each pass reads what the writer appended; a writer outpacing us is caught next poll.
  for (int pass = 0; pass < 4096; ++pass) {
    in_->read(buffer, sizeof buffer);
    const auto got = in_->gcount();
    if (got <= 0) break;
    partial_.append(buffer, static_cast<std::size_t>(got));
  }
  in_->clear();
  std::size_t start = 0;
  for (auto newline = partial_.find('\n'); newline != std::string::npos; newline = partial_.find('\n', start)) {
    auto entry = decode_entry(std::string_view(partial_).substr(start, newline - start));
    if (entry && matches(*entry, query_)) out.push_back(std::move(*entry));
    start = newline + 1;
  }
  partial_.erase(0, start);
}

Result<std::vector<LogEntry>> LogFollower::poll() {
  std::vector<LogEntry> entries;
  // First the rest of the file we hold (still readable after a rename), then the new file if the
  // writer rotated.
  read_available(entries);
  const auto current = platform::identify_file(log_file(state_dir_));
  if (!current) return entries;
  std::error_code ec;
  const auto size = std::filesystem::file_size(log_file(state_dir_), ec);
  const bool truncated = in_ && !ec && static_cast<std::streamoff>(size) < static_cast<std::streamoff>(in_->tellg());
  if (!in_ || current != identity_ || truncated) {
    open_file(false);
    read_available(entries);
  }
  return entries;
}

}  // namespace silo::logs
