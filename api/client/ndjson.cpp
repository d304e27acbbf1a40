#include "api/client/ndjson.h"

namespace silo::client {

Result<bool> NdjsonSplitter::feed(std::string_view piece, const std::function<bool(std::string_view)>& on_line) {
  while (!piece.empty()) {
    const auto newline = piece.find('\n');
    const std::string_view part = piece.substr(0, newline);
    if (partial_.size() + part.size() > max_line_bytes_) {
      return make_error(Errc::invalid_argument,
                        "an event line is longer than " + std::to_string(max_line_bytes_) + " bytes");
    }
    partial_.append(part);
    if (newline == std::string_view::npos) break;
    piece.remove_prefix(newline + 1);
    std::string line = std::move(partial_);
    partial_.clear();
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && !on_line(line)) return false;
  }
  return true;
}

}  // namespace silo::client
