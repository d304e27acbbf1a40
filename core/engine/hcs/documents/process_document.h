// ProcessParameters for HcsCreateProcess (hcsshim internal/hcs/schema2/process_parameters.go and
// internal/cmd/cmd.go): the argv joined into one Windows command line, user, working directory,
// environment, and stdio pipes.
#pragma once

#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace silo::hcs {

struct ProcessInputs {
  std::vector<std::string> argv;  // required
  std::vector<std::string> env;   // "K=V"
  std::string working_dir;        // empty: the container's default
  std::string user;               // empty: the container's default
  bool create_stdin_pipe = false;
  bool emulate_console = false;   // a pseudo console: HCS then merges stderr into stdout
  // The process of a HostProcess container inside a utility VM: cmd /c is put in front (PR #2531).
  bool hostprocess_in_vm = false;
};

// invalid_argument for an empty argv or an env entry without '=' or with an empty name. Entries
// with an empty value are left out, as hcsshim does (Windows has no empty variables).
Result<nlohmann::ordered_json> process_parameters(const ProcessInputs& inputs);

}  // namespace silo::hcs
