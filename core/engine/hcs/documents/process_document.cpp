#include "core/engine/hcs/documents/process_document.h"

#include "core/engine/hcs/documents/command_line.h"
#include "core/engine/hcs/documents/document_parts.h"

#include <map>

namespace silo::hcs {
namespace {

Result<std::map<std::string, std::string>> environment_map(const std::vector<std::string>& env) {
  std::map<std::string, std::string> out;
  for (const std::string& entry : env) {
    std::size_t equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      return make_error(Errc::invalid_argument,
                        "environment entry \"" + entry + "\" must have the form NAME=VALUE");
    }
    std::string value = entry.substr(equals + 1);
    if (value.empty()) continue;
    out[entry.substr(0, equals)] = std::move(value);
  }
  return out;
}

}  // namespace

Result<nlohmann::ordered_json> process_parameters(const ProcessInputs& inputs) {
  if (inputs.argv.empty()) return make_error(Errc::invalid_argument, "a process needs a command (argv is empty)");
  auto environment = environment_map(inputs.env);
  if (!environment) return environment.error();

  std::vector<std::string> argv = inputs.hostprocess_in_vm ? with_cmd_prefix(inputs.argv) : inputs.argv;
  nlohmann::ordered_json doc;
  doc["CommandLine"] = join_command_line(argv);
  if (!inputs.user.empty()) doc["User"] = inputs.user;
  if (!inputs.working_dir.empty()) doc["WorkingDirectory"] = inputs.working_dir;
  if (!environment->empty()) {
    nlohmann::ordered_json env = nlohmann::ordered_json::object();
    for (const auto& [name, value] : *environment) env[name] = value;
    doc["Environment"] = std::move(env);
  }
  if (inputs.emulate_console) doc["EmulateConsole"] = true;
  if (inputs.create_stdin_pipe) doc["CreateStdInPipe"] = true;
  doc["CreateStdOutPipe"] = true;
  if (!inputs.emulate_console) doc["CreateStdErrPipe"] = true;
  return parts::ok(std::move(doc));
}

}  // namespace silo::hcs
