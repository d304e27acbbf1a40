#include "cli/output/table.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

namespace silo::cli {

void print_rows(std::ostream& out, const std::vector<Row>& rows) {
  // One value column per indent level, over the whole table, so every "Key: value" at a level lines up.
  std::map<int, std::size_t> width;
  for (const Row& row : rows) {
    if (!row.value.empty()) width[row.indent] = std::max(width[row.indent], row.key.size());
  }
  for (const Row& row : rows) {
    out << std::string(static_cast<std::size_t>(row.indent), ' ') << row.key << ':';
    if (!row.value.empty()) out << std::string(width[row.indent] - row.key.size() + 1, ' ') << row.value;
    out << '\n';
  }
}

std::string human_bytes(std::int64_t bytes) {
  static constexpr std::array<const char*, 6> kUnits = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  auto value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < kUnits.size()) {
    value /= 1024.0;
    ++unit;
  }
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.4g%s", value, kUnits[unit]);
  return text.data();
}

std::string event_line(const client::Event& event) {
  std::string line = event.time + " " + event.type + " " + event.action + " " + event.actor_id;
  if (!event.attributes.empty()) {
    line += " (";
    bool first = true;
    for (const auto& [key, value] : event.attributes) {
      if (!first) line += ", ";
      line += key + "=" + value;
      first = false;
    }
    line += ")";
  }
  return line;
}

}  // namespace silo::cli
