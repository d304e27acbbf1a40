// siloctl's layer commands: import (streams the file to POST /v1/layers), ls, inspect, rm.
#pragma once

#include "cli/commands/commands.h"
#include "cli/layer_args.h"

namespace silo::cli {

int run_layer_command(const Context& ctx, const LayerArgs& args);

}  // namespace silo::cli
