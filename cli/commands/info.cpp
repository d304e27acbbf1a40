#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/output/table.h"

#include <iostream>

namespace silo::cli {
namespace {

std::vector<Row> info_rows(const client::SystemInfo& info) {
  std::vector<Row> rows = {
      {0, "Containers", std::to_string(info.containers_total)},
      {1, "Running", std::to_string(info.containers_running)},
      {1, "Created", std::to_string(info.containers_created)},
      {1, "Exited", std::to_string(info.containers_exited)},
      {0, "Sandboxes", std::to_string(info.sandboxes)},
      {0, "Layers", std::to_string(info.layers)},
      {0, "Last event ID", std::to_string(info.events_last_id)},
      {0, "Isolation", ""},
  };
  for (const auto& mode : info.isolation) {
    rows.push_back({1, mode.name, mode.available ? "available" : "unavailable: " + mode.reason});
  }
  const std::vector<Row> host = {
      {0, "Hostname", info.hostname},
      {0, "Operating system", info.os_name + " " + info.os_version},
      {0, "Kernel version", info.kernel},
      {0, "CPUs", std::to_string(info.cpus)},
      {0, "Total memory", human_bytes(info.memory_bytes)},
      {0, "Data root", info.data_root},
      {0, "Versions", ""},
  };
  rows.insert(rows.end(), host.begin(), host.end());
  for (const auto& [component, version] : info.versions) rows.push_back({1, component, version});
  return rows;
}

}  // namespace

int run_info(const Context& ctx) {
  auto info = ctx.client.info();
  if (!info) return report_failure(info.error(), ctx.client.endpoint());
  if (ctx.args.format == Format::json) {
    std::cout << info->raw.dump() << '\n';
  } else {
    print_rows(std::cout, info_rows(*info));
  }
  return kExitOk;
}

}  // namespace silo::cli
