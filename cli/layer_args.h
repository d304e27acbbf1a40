// Flags of siloctl's layer commands: layer import | ls | inspect | rm.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace silo::cli {

struct LayerArgs {
  std::string action;  // import, ls, inspect, rm
  std::string file;    // import: a tar or tar.gz, or "-" for stdin
  std::string parent;  // import --parent
  std::vector<std::string> refs;  // inspect, rm
};

void add_layer_commands(CLI::App& app, LayerArgs& args);

}  // namespace silo::cli
