#include "cli/args.h"

#include "api/client/host.h"
#include "cli/exit_codes.h"

#include <CLI/CLI.hpp>

#include <iostream>

#ifndef SILO_VERSION
#error "SILO_VERSION must be defined by the build"
#endif

namespace silo::cli {
namespace {

void add_global_flags(CLI::App& app, Args& args, std::string& format) {
  app.add_option("-H,--host", args.host,
                 "Daemon to connect to: unix:///path, tcp://HOST:PORT or npipe:////./pipe/NAME "
                 "(default: $SILO_HOST, else " + std::string(client::kDefaultHost) + ")");
  app.add_flag("--tlsverify", args.tls_verify,
               "Use TLS and verify the daemon (tcp:// hosts; default: $SILO_TLS_VERIFY)");
  app.add_option("--tlscacert", args.tls_ca, "Trust certs signed only by this CA (default: $SILO_CERT_PATH/ca.pem, ~/.silo/ca.pem)");
  app.add_option("--tlscert", args.tls_cert, "TLS certificate file (default: $SILO_CERT_PATH/cert.pem, ~/.silo/cert.pem)");
  app.add_option("--tlskey", args.tls_key, "TLS key file (default: $SILO_CERT_PATH/key.pem, ~/.silo/key.pem)");
  app.add_option("--format", format, "Output format: table (for people) or json (the daemon's JSON)")
      ->check(CLI::IsMember({"table", "json"}));
}

void add_events(CLI::App& app, EventsArgs& events) {
  auto* cmd = app.add_subcommand("events", "Show the daemon's events, oldest first");
  cmd->add_option("--since", events.since, "Show events from this time (RFC 3339 or Unix seconds)");
  cmd->add_option("--until", events.until, "Show events up to this time; with --follow, stop there");
  cmd->add_option("--filter", events.filters, "Filter as key=value (type, action, actor); repeatable")
      ->allow_extra_args(false);
  cmd->add_flag("-f,--follow", events.follow, "Keep streaming new events until --until or Ctrl-C");
}

// CLI11 reports usage errors as exceptions; they are turned into docker's message and exit code 2.
int usage_error(const CLI::App& app, const CLI::ParseError& e) {
  std::string help_for = "siloctl";
  for (const auto* sub : app.get_subcommands()) help_for += " " + sub->get_name();
  std::cerr << "siloctl: " << e.what() << "\nSee '" << help_for << " --help'.\n";
  return kExitUsage;
}

}  // namespace

ParseOutcome parse_args(int argc, const char* const* argv) {
  Args args;
  std::string format = "table";
  CLI::App app{"siloctl: the command-line client of the silo container host daemon (silod)", "siloctl"};
  app.set_version_flag("--version", std::string("siloctl version ") + SILO_VERSION);
  // At most one command; "no command" is reported below in docker's words rather than CLI11's.
  app.require_subcommand(0, 1);
  // Global flags are accepted after the command too: `siloctl info --format json`.
  app.fallthrough();
  add_global_flags(app, args, format);
  app.add_subcommand("version", "Show the siloctl and silod versions");
  app.add_subcommand("info", "Show what the daemon runs on, which isolation modes work, and its counts");
  add_events(app, args.events);
  add_container_commands(app, args.containers);
  add_layer_commands(app, args.layers);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return ParseOutcome{std::nullopt, app.exit(e)};
  } catch (const CLI::ParseError& e) {
    return ParseOutcome{std::nullopt, usage_error(app, e)};
  }
  if (app.get_subcommands().empty()) {
    std::cerr << "siloctl: a command is required (version, info, events, run, create, start, stop, kill, restart, rm, ps, inspect, logs, wait, exec, stats, sandbox, layer)\nSee 'siloctl --help'.\n";
    return ParseOutcome{std::nullopt, kExitUsage};
  }
  args.command = app.get_subcommands().front()->get_name();
  args.format = format == "json" ? Format::json : Format::table;
  return ParseOutcome{std::move(args), kExitOk};
}

}  // namespace silo::cli
