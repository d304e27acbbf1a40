// Running the runc binary from silod for the short commands (state, kill, delete, events --stats):
// posix_spawn (safe in a threaded daemon), stdout and stderr captured, bounded in time. `runc run`
// and `runc exec` are not run here: silo-monitor runs them, because they last as long as the
// container and must outlive silod.
#pragma once

#include "core/errors.h"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace silo::engine::runc {

struct RuncInvocation {
  std::filesystem::path binary;  // the runc executable
  std::filesystem::path root;    // runc --root: silo's own state folder, never the host's default
};

struct CommandOutput {
  int exit_code = -1;  // -1: killed by a signal or timed out
  std::string out;
  std::string err;
};

// Runs `binary args...` to completion; an error only when it could not run at all or overstayed
// `limit` (then it is killed).
Result<CommandOutput> run_command(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds limit = std::chrono::milliseconds(30000));

// `runc --root R <args...>`; a non-zero exit is an error carrying runc's own message, with
// not_found when runc says the container does not exist.
Result<std::string> run_runc(const RuncInvocation& runc, const std::vector<std::string>& args);

// The argv prefix `runc --root R` for commands the monitor runs.
std::vector<std::string> runc_argv(const RuncInvocation& runc, const std::vector<std::string>& args);

}  // namespace silo::engine::runc
