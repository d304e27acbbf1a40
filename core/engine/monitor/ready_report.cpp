// The monitor's ready line (monitor.h), shared by the POSIX monitor and the Windows one
// (core/engine/jobobject), so both backends read it with the same decoder.
#include "core/engine/monitor/monitor.h"

#include <charconv>

namespace silo::engine::monitor {

std::string encode_ready(const ReadyReport& report) {
  if (report.ok) return "ok " + std::to_string(report.pid) + "\n";
  std::string message = report.error.message;
  for (char& c : message) {
    if (c == '\n') c = ' ';
  }
  return "error " + std::string(to_string(report.error.code)) + " " + message + "\n";
}

ReadyReport decode_ready(std::string_view line) {
  while (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  ReadyReport report;
  if (line.rfind("ok ", 0) == 0) {
    const auto digits = line.substr(3);
    report.ok = std::from_chars(digits.data(), digits.data() + digits.size(), report.pid).ec == std::errc{};
    if (report.ok) return report;
  }
  if (line.rfind("error ", 0) == 0) {
    const auto rest = line.substr(6);
    const auto space = rest.find(' ');
    report.error = make_error(Errc::internal, std::string(space == std::string_view::npos ? rest : rest.substr(space + 1)));
    for (int code = static_cast<int>(Errc::not_found); code <= static_cast<int>(Errc::internal); ++code) {
      if (to_string(static_cast<Errc>(code)) == rest.substr(0, space)) report.error.code = static_cast<Errc>(code);
    }
    return report;
  }
  report.error = make_error(Errc::internal, "the monitor ended before starting the process");
  return report;
}

}  // namespace silo::engine::monitor
