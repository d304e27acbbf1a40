// siloctl's command line: global flags, the command, and that command's flags. Parsing prints help,
// the version and usage errors itself, so main() only runs a command or exits with the given code.
#pragma once

#include "cli/container_args.h"
#include "cli/layer_args.h"

#include <optional>
#include <string>
#include <vector>

namespace silo::cli {

enum class Format { table, json };

struct EventsArgs {
  std::optional<std::string> since;
  std::optional<std::string> until;
  std::vector<std::string> filters;  // "key=value", as given
  bool follow = false;
};

struct Args {
  std::optional<std::string> host;  // --host / -H; absent: $SILO_HOST, then the default
  // --tlsverify, --tlscacert, --tlscert, --tlskey (api/client/tls_settings.h adds the environment)
  bool tls_verify = false;
  std::optional<std::string> tls_ca;
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
  Format format = Format::table;
  std::string command;  // "version", "info", "events"
  EventsArgs events;
  ContainerArgs containers;  // run, create, start, ..., sandbox
  LayerArgs layers;          // layer import | ls | inspect | rm
};

struct ParseOutcome {
  std::optional<Args> args;  // set: run the command
  int exit_code = 0;         // otherwise: exit with this (help and --version: 0; usage error: 2)
};

ParseOutcome parse_args(int argc, const char* const* argv);

}  // namespace silo::cli
