// `siloctl ps` and `siloctl sandbox ls` tables, docker's columns and wording.
#include "cli/commands/container_commands.h"
#include "cli/exit_codes.h"
#include "core/clock.h"

#include <iomanip>
#include <iostream>

namespace silo::cli {
namespace {

std::int64_t seconds_since(const nlohmann::json& time, std::int64_t now_ns) {
  if (!time.is_string()) return 0;
  auto t = parse_time(time.get<std::string>());
  return t ? std::max<std::int64_t>(0, (now_ns - *t) / 1'000'000'000) : 0;
}

}  // namespace

std::string human_duration(std::int64_t s) {
  auto unit = [](std::int64_t n, const char* name) {
    return std::to_string(n) + " " + name + (n == 1 ? "" : "s");
  };
  if (s < 1) return "Less than a second";
  if (s < 60) return unit(s, "second");
  if (s < 3600) return unit(s / 60, "minute");
  if (s < 86400 * 2) return unit(s / 3600, "hour");
  return unit(s / 86400, "day");
}

std::string status_text(const nlohmann::json& c, std::int64_t now_ns) {
  const std::string state = c.value("state", "");
  if (state == "running") return "Up " + human_duration(seconds_since(c["startedAt"], now_ns));
  if (state == "exited") {
    int code = c["exitCode"].is_number_integer() ? c["exitCode"].get<int>() : 0;
    return "Exited (" + std::to_string(code) + ") " + human_duration(seconds_since(c["finishedAt"], now_ns)) + " ago";
  }
  if (state == "created") return "Created";
  return "Removal In Progress";
}

int print_ps(const Context& ctx, const nlohmann::json& containers) {
  if (ctx.args.format == Format::json) {
    std::cout << containers.dump() << "\n";
    return kExitOk;
  }
  const auto now = SystemClock().now();
  std::vector<std::vector<std::string>> rows{{"CONTAINER ID", "NAME", "ISOLATION", "STATE", "STATUS", "CREATED"}};
  for (const auto& c : containers) {
    rows.push_back({c.value("id", "").substr(0, 12), c.value("name", ""), c.value("isolation", ""), c.value("state", ""),
                    status_text(c, now), human_duration(seconds_since(c["createdAt"], now)) + " ago"});
  }
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i + 1 < row.size()) std::cout << std::left << std::setw(static_cast<int>(widths[i] + 3)) << row[i];
      else std::cout << row[i];
    }
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace silo::cli
