// validate_container_spec and the checks on its text fields (command, env, user, paths, references).
// Resources, mounts and log options are checked in their own files.
#include "core/ids.h"
#include "core/model/container_spec.h"
#include "core/model/hostprocess_annotations.h"
#include "core/model/message_text.h"
#include "core/model/path_shape.h"
#include "core/model/stop_signal.h"

#include <algorithm>

namespace silo {
namespace {

using message::invalid;

bool is_text(std::string_view value) {
  return value.find('\0') == std::string_view::npos && validation::is_valid_utf8(value);
}

bool has_control_character(std::string_view value) {
  return std::any_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

std::string indexed(std::string_view field, std::size_t index) {
  return std::string(field) + "[" + std::to_string(index) + "]";
}

Result<void> validate_working_dir(std::string_view dir, const SpecLimits& limits) {
  if (dir.empty()) return {};
  if (dir.size() > limits.path_bytes_max) {
    return invalid("workingDir is " + std::to_string(dir.size()) + " bytes; at most " +
                   std::to_string(limits.path_bytes_max) + " are allowed");
  }
  if (!is_text(dir) || !path_shape::is_absolute(dir) || path_shape::has_parent_component(dir)) {
    return invalid("workingDir " + message::quoted(dir) + " must be an absolute path (/... or C:\\...) without '..'");
  }
  return {};
}

// A sandbox is named by id (or a unique id prefix) or by name; anything else cannot match one.
Result<void> validate_sandbox_reference(std::string_view sandbox, const SpecLimits& limits) {
  if (sandbox.empty() || ids::is_id_prefix(sandbox)) return {};
  if (sandbox.size() <= limits.reference_bytes_max && validation::check_name("sandbox", sandbox)) return {};
  return invalid("sandbox " + message::quoted(sandbox) +
                 " is neither an id (hex) nor a name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)");
}

Result<void> validate_layer_reference(const std::optional<std::string>& layer) {
  if (!layer || ids::is_id_prefix(*layer)) return {};
  return invalid("layer " + message::quoted(*layer) + " must be a layer id: 1 to 64 lowercase hex characters");
}

Result<void> validate_stop(const ContainerSpec& spec, const SpecLimits& limits) {
  SILO_TRY(message::check_range("stopTimeoutSeconds", spec.stop_timeout_seconds, 0, limits.stop_timeout_seconds_max, {},
                                " (1 hour)"));
  SILO_TRY(parse_signal("stopSignal", spec.stop_signal));
  return {};
}

}  // namespace

Result<void> validate_command(const std::vector<std::string>& command, const SpecLimits& limits) {
  if (command.empty()) return invalid("command is empty; give the program to run and its arguments");
  if (command.size() > limits.command_args_max) {
    return invalid("command has " + std::to_string(command.size()) + " arguments; at most " +
                   std::to_string(limits.command_args_max) + " are allowed");
  }
  if (command.front().empty()) return invalid("command[0] is empty; it must name the program to run");
  std::size_t total = 0;
  for (std::size_t i = 0; i < command.size(); ++i) {
    if (!is_text(command[i])) return invalid(indexed("command", i) + " must be UTF-8 text without NUL characters");
    total += command[i].size();
  }
  if (total > limits.command_total_bytes_max) {
    return invalid("command totals " + std::to_string(total) + " bytes; at most " +
                   std::to_string(limits.command_total_bytes_max) + " are allowed");
  }
  return {};
}

Result<void> validate_env(const std::vector<std::string>& env, const SpecLimits& limits) {
  if (env.size() > limits.env_entries_max) {
    return invalid("env has " + std::to_string(env.size()) + " entries; at most " +
                   std::to_string(limits.env_entries_max) + " are allowed");
  }
  std::size_t total = 0;
  for (std::size_t i = 0; i < env.size(); ++i) {
    const std::string& entry = env[i];
    auto equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      return invalid(indexed("env", i) + " " + message::quoted(entry) + " must be KEY=VALUE with a non-empty KEY");
    }
    if (!is_text(entry)) return invalid(indexed("env", i) + " must be UTF-8 text without NUL characters");
    total += entry.size();
  }
  if (total > limits.env_total_bytes_max) {
    return invalid("env totals " + std::to_string(total) + " bytes; at most " +
                   std::to_string(limits.env_total_bytes_max) + " are allowed");
  }
  return {};
}

// Only the shape: whether the account exists is the backend's question (it differs per host).
Result<void> validate_user(std::string_view user, const SpecLimits& limits) {
  if (user.empty()) return {};
  if (user.size() > limits.user_bytes_max) {
    return invalid("user is " + std::to_string(user.size()) + " bytes; at most " +
                   std::to_string(limits.user_bytes_max) + " are allowed");
  }
  const std::string allowed = "; use name, uid, uid:gid, name:group or DOMAIN\\name";
  if (!is_text(user) || has_control_character(user) || user.front() == ' ' || user.back() == ' ') {
    return invalid("user " + message::quoted(user) + " must be printable text without leading or trailing spaces" +
                   allowed);
  }
  auto colons = std::count(user.begin(), user.end(), ':');
  auto backslashes = std::count(user.begin(), user.end(), '\\');
  bool empty_part = user.front() == ':' || user.back() == ':' || user.front() == '\\' || user.back() == '\\';
  if (colons > 1 || backslashes > 1 || (colons == 1 && backslashes == 1) || empty_part ||
      user.find('/') != std::string_view::npos) {
    return invalid("user " + message::quoted(user) + " is not a user" + allowed);
  }
  return {};
}

Result<void> validate_container_spec(const ContainerSpec& spec, const SpecLimits& limits,
                                     const validation::Limits& map_limits) {
  if (!spec.name.empty()) SILO_TRY(validation::check_name("name", spec.name, map_limits));
  SILO_TRY(validate_sandbox_reference(spec.sandbox, limits));
  SILO_TRY(validate_layer_reference(spec.layer));
  SILO_TRY(validate_command(spec.command, limits));
  SILO_TRY(validate_env(spec.env, limits));
  SILO_TRY(validate_working_dir(spec.working_dir, limits));
  SILO_TRY(validate_user(spec.user, limits));
  SILO_TRY(validation::check_labels("labels", spec.labels, map_limits));
  SILO_TRY(validation::check_annotations("annotations", spec.annotations, map_limits));
  SILO_TRY(hostprocess::check_annotation_values("annotations", spec.annotations));
  SILO_TRY(validate_resources(spec.resources, limits));
  SILO_TRY(validate_mounts(spec.mounts, limits));
  SILO_TRY(validate_stop(spec, limits));
  SILO_TRY(validate_log_options(spec.log, limits));
  return {};
}

}  // namespace silo
