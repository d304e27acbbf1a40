// siloctl: parses the command line, connects to silod through the client library and runs one
// command. Exit codes: exit_codes.h.
#include "api/client/client.h"
#include "api/client/tls_settings.h"
#include "cli/args.h"
#include "cli/commands/commands.h"
#include "cli/commands/container_commands.h"
#include "cli/commands/layer_commands.h"
#include "cli/exit_codes.h"

#include <iostream>

int main(int argc, char** argv) {
  using namespace silo;
  const auto parsed = cli::parse_args(argc, argv);
  if (!parsed.args) return parsed.exit_code;
  const cli::Args& args = *parsed.args;

  auto endpoint = client::resolve_host(args.host);
  if (!endpoint) {
    std::cerr << "siloctl: " << endpoint.error().message << "\nSee 'siloctl --help'.\n";
    return cli::kExitUsage;
  }
  if (auto tls = client::apply_tls_settings({args.tls_verify, args.tls_ca, args.tls_cert, args.tls_key}, *endpoint); !tls) {
    std::cerr << "siloctl: " << tls.error().message << "\nSee 'siloctl --help'.\n";
    return cli::kExitUsage;
  }
  client::ClientOptions options;
  options.endpoint = *endpoint;
  options.user_agent = std::string("siloctl/") + SILO_VERSION;
  const client::Client client(std::move(options));
  const cli::Context ctx{args, client};

  if (args.command == "version") return cli::run_version(ctx);
  if (args.command == "info") return cli::run_info(ctx);
  if (args.command == "events") return cli::run_events(ctx);
  if (args.command == "sandbox") return cli::run_sandbox_command(ctx);
  if (args.command == "layer") return cli::run_layer_command(ctx, args.layers);
  return cli::run_container_command(ctx);
  std::cerr << "siloctl: unknown command \"" << args.command << "\"\n";
  return cli::kExitUsage;
}
