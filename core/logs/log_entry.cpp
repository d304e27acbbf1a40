#include "core/logs/log_entry.h"

#include <nlohmann/json.hpp>

namespace silo::logs {

std::filesystem::path log_file(const std::filesystem::path& state_dir) { return state_dir / kLogFileName; }

std::filesystem::path rotated_log_file(const std::filesystem::path& state_dir, std::int64_t n) {
  return state_dir / (std::string(kLogFileName) + "." + std::to_string(n));
}

std::string encode_entry(const LogEntry& entry) {
  nlohmann::json line = {{"log", entry.text}, {"stream", entry.stream}, {"time", format_rfc3339(entry.time)}};
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<LogEntry> decode_entry(std::string_view line) {
  auto json = nlohmann::json::parse(line, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return make_error(Errc::invalid_argument, "not a JSON log line");
  auto log = json.find("log");
  auto stream = json.find("stream");
  auto time = json.find("time");
  if (log == json.end() || !log->is_string() || stream == json.end() || !stream->is_string() || time == json.end() ||
      !time->is_string()) {
    return make_error(Errc::invalid_argument, "a log line without log, stream and time");
  }
  auto parsed = parse_time(time->get_ref<const std::string&>());
  if (!parsed) return parsed.error();
  return LogEntry{*parsed, stream->get<std::string>(), log->get<std::string>()};
}

}  // namespace silo::logs
