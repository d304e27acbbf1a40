#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/output/table.h"

#include <iostream>
#include <optional>

namespace silo::cli {
namespace {

// --filter type=container --filter type=sandbox -> {"type":["container","sandbox"]}. The daemon
// decides which keys exist; a value without "=" is a usage error found before any request.
std::optional<std::map<std::string, std::vector<std::string>>> group_filters(const std::vector<std::string>& given) {
  std::map<std::string, std::vector<std::string>> filters;
  for (const auto& filter : given) {
    const auto eq = filter.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "siloctl: bad --filter \"" << filter << "\": expected key=value, e.g. type=container\n"
                << "See 'siloctl events --help'.\n";
      return std::nullopt;
    }
    filters[filter.substr(0, eq)].push_back(filter.substr(eq + 1));
  }
  return filters;
}

}  // namespace

int run_events(const Context& ctx) {
  auto filters = group_filters(ctx.args.events.filters);
  if (!filters) return kExitUsage;
  client::EventsQuery query;
  query.since = ctx.args.events.since;
  query.until = ctx.args.events.until;
  query.filters = std::move(*filters);
  query.follow = ctx.args.events.follow;

  const bool json = ctx.args.format == Format::json;
  // Flushed per event: a follower piped into another program sees each event as it happens.
  auto done = ctx.client.events(query, [json](const client::Event& event) {
    std::cout << (json ? event.raw.dump() : event_line(event)) << std::endl;
    return true;
  });
  if (!done) return report_failure(done.error(), ctx.client.endpoint());
  return kExitOk;
}

}  // namespace silo::cli
