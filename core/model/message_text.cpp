#include "core/model/message_text.h"

namespace silo::message {

std::string quoted(std::string_view value) {
  constexpr std::size_t kShown = 64;
  std::string out = "\"";
  out.append(value.substr(0, kShown));
  out += value.size() > kShown ? "...\"" : "\"";
  return out;
}

Error invalid(std::string text) {
  return make_error(Errc::invalid_argument, std::move(text));
}

Result<void> check_range(std::string_view field, std::int64_t value, std::int64_t min, std::int64_t max,
                         std::string_view min_note, std::string_view max_note) {
  if (value < min) {
    return invalid(std::string(field) + " " + std::to_string(value) + " is below the minimum of " +
                   std::to_string(min) + std::string(min_note));
  }
  if (value > max) {
    return invalid(std::string(field) + " " + std::to_string(value) + " is above the maximum of " +
                   std::to_string(max) + std::string(max_note));
  }
  return {};
}

}  // namespace silo::message
