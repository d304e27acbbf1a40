#include "core/model/stop_signal.h"

#include "core/model/message_text.h"

#include <array>
#include <charconv>
#include <utility>

namespace silo {
namespace {

constexpr std::array<std::pair<std::string_view, int>, 7> kNamedSignals{
    {{"SIGHUP", 1}, {"SIGINT", 2}, {"SIGQUIT", 3}, {"SIGKILL", 9}, {"SIGUSR1", 10}, {"SIGUSR2", 12}, {"SIGTERM", 15}}};

Error not_a_signal(std::string_view field, std::string_view text) {
  return message::invalid(std::string(field) + " " + message::quoted(text) +
                          " is not a signal; use one of SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGKILL, SIGUSR1, "
                          "SIGUSR2 or a number from 1 to " +
                          std::to_string(kSignalNumberMax));
}

}  // namespace

Result<int> parse_signal(std::string_view field, std::string_view text) {
  if (!text.empty() && text.front() >= '0' && text.front() <= '9') {
    int number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc{} || end != text.data() + text.size() || number < 1 || number > kSignalNumberMax) {
      return not_a_signal(field, text);
    }
    return number;
  }
  std::string_view bare = text.substr(0, 3) == "SIG" ? text.substr(3) : text;
  for (const auto& [name, number] : kNamedSignals) {
    if (!bare.empty() && name.substr(3) == bare) return number;
  }
  return not_a_signal(field, text);
}

std::string signal_name(int number) {
  for (const auto& [name, value] : kNamedSignals) {
    if (value == number) return std::string(name);
  }
  return std::to_string(number);
}

}  // namespace silo
