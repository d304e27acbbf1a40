#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/output/table.h"

#include <iostream>

namespace silo::cli {

int run_version(const Context& ctx) {
  const bool table = ctx.args.format == Format::table;
  // Like docker, the client's own version is shown even when the daemon cannot be reached.
  if (table) {
    print_rows(std::cout, {{0, "Client", ""}, {1, "Version", SILO_VERSION}, {1, "API version", "v1"}});
  }
  auto server = ctx.client.version();
  if (!server) {
    std::cout.flush();
    return report_failure(server.error(), ctx.client.endpoint());
  }
  if (!table) {
    std::cout << server->raw.dump() << '\n';
    return kExitOk;
  }
  std::cout << '\n';
  print_rows(std::cout, {{0, "Server", ""},
                         {1, "Version", server->version},
                         {1, "API version", server->api_version},
                         {1, "Git commit", server->git_commit},
                         {1, "OS/Arch", server->os + "/" + server->arch},
                         {1, "Kernel version", server->kernel_version},
                         {1, "Build type", server->build_type}});
  return kExitOk;
}

}  // namespace silo::cli
