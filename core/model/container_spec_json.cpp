#include "core/model/json_object_reader.h"
#include "core/model/message_text.h"
#include "core/model/spec_json.h"

namespace silo {
namespace {

// Copies a read value into `target` when it was given; passes errors through.
template <class T, class U>
Result<void> assign(Result<std::optional<T>> read, U& target) {
  if (!read) return read.error();
  if (*read) target = std::move(**read);
  return {};
}

Result<void> read_resources(const JsonObjectReader& top, ResourceLimits& out) {
  const nlohmann::json* value = top.member("resources");
  if (value == nullptr) return {};
  auto reader = JsonObjectReader::open(*value, "resources", "",
                                       {"cpuCount", "cpuPercent", "cpuWeight", "memoryBytes", "pidsLimit"});
  if (!reader) return reader.error();
  SILO_TRY(assign(reader->integer("cpuCount"), out.cpu_count));
  SILO_TRY(assign(reader->integer("cpuPercent"), out.cpu_percent));
  SILO_TRY(assign(reader->integer("cpuWeight"), out.cpu_weight));
  SILO_TRY(assign(reader->integer("memoryBytes"), out.memory_bytes));
  SILO_TRY(assign(reader->integer("pidsLimit"), out.pids_limit));
  return {};
}

Result<void> read_mounts(const JsonObjectReader& top, const SpecLimits& limits, std::vector<MountSpec>& out) {
  const nlohmann::json* value = top.member("mounts");
  if (value == nullptr) return {};
  if (!value->is_array()) {
    return message::invalid("mounts must be an array of objects, not " + std::string(json_type_name(*value)));
  }
  if (value->size() > limits.mounts_max) {
    return message::invalid("mounts has " + std::to_string(value->size()) + " entries; at most " +
                            std::to_string(limits.mounts_max) + " are allowed");
  }
  for (std::size_t i = 0; i < value->size(); ++i) {
    auto reader =
        JsonObjectReader::open((*value)[i], "mounts[" + std::to_string(i) + "]", "", {"source", "target", "readOnly"});
    if (!reader) return reader.error();
    MountSpec mount;
    SILO_TRY(assign(reader->string("source", limits.path_bytes_max), mount.source));
    SILO_TRY(assign(reader->string("target", limits.path_bytes_max), mount.target));
    SILO_TRY(assign(reader->boolean("readOnly"), mount.read_only));
    out.push_back(std::move(mount));
  }
  return {};
}

Result<void> read_log(const JsonObjectReader& top, LogOptions& out) {
  const nlohmann::json* value = top.member("log");
  if (value == nullptr) return {};
  auto reader = JsonObjectReader::open(*value, "log", "", {"maxSizeBytes", "maxFiles"});
  if (!reader) return reader.error();
  SILO_TRY(assign(reader->integer("maxSizeBytes"), out.max_size_bytes));
  SILO_TRY(assign(reader->integer("maxFiles"), out.max_files));
  return {};
}

// A field whose text names one value of an enum (`parse` refuses the others, naming them).
template <class Enum, class Target>
Result<void> read_enum(const JsonObjectReader& top, const char* field, Result<Enum> (*parse)(std::string_view),
                       Target& out) {
  auto text = top.string(field, 32);
  if (!text) return text.error();
  if (!*text) return {};
  auto parsed = parse(**text);
  if (!parsed) return parsed.error();
  out = *parsed;
  return {};
}

Result<void> read_fields(const JsonObjectReader& r, const SpecLimits& limits, const validation::Limits& maps,
                         ContainerSpec& spec) {
  SILO_TRY(assign(r.string("name", maps.name_max), spec.name));
  SILO_TRY(read_enum(r, "isolation", parse_isolation, spec.isolation));
  SILO_TRY(assign(r.string("sandbox", limits.reference_bytes_max), spec.sandbox));
  SILO_TRY(assign(r.string("layer", limits.reference_bytes_max), spec.layer));
  SILO_TRY(assign(r.string_array("command", limits.command_args_max, limits.command_total_bytes_max), spec.command));
  SILO_TRY(assign(r.string_array("env", limits.env_entries_max, limits.env_total_bytes_max), spec.env));
  SILO_TRY(assign(r.string("workingDir", limits.path_bytes_max), spec.working_dir));
  SILO_TRY(assign(r.string("user", limits.user_bytes_max), spec.user));
  SILO_TRY(assign(r.string_map("labels", maps.labels_max, maps.label_value_max), spec.labels));
  SILO_TRY(assign(r.string_map("annotations", maps.annotations_max, maps.annotation_value_max), spec.annotations));
  SILO_TRY(read_resources(r, spec.resources));
  SILO_TRY(read_mounts(r, limits, spec.mounts));
  SILO_TRY(assign(r.integer("stopTimeoutSeconds"), spec.stop_timeout_seconds));
  SILO_TRY(assign(r.string("stopSignal", 32), spec.stop_signal));
  SILO_TRY(read_log(r, spec.log));
  SILO_TRY(read_enum(r, "seccomp", parse_seccomp_profile, spec.seccomp));
  return {};
}

Result<ContainerSpec> read_container_spec(const nlohmann::json& body, const SpecLimits& limits,
                                          const validation::Limits& maps) {
  auto reader =
      JsonObjectReader::open(body, "", "container spec",
                             {"name", "isolation", "sandbox", "layer", "command", "env", "workingDir", "user", "labels",
                              "annotations", "resources", "mounts", "stopTimeoutSeconds", "stopSignal", "log",
                              "seccomp"});
  if (!reader) return reader.error();
  ContainerSpec spec;
  SILO_TRY(read_fields(*reader, limits, maps, spec));
  SILO_TRY(validate_container_spec(spec, limits, maps));
  return spec;
}

nlohmann::json resources_to_json(const ResourceLimits& resources) {
  nlohmann::json out = nlohmann::json::object();
  if (resources.cpu_count) out["cpuCount"] = *resources.cpu_count;
  if (resources.cpu_percent) out["cpuPercent"] = *resources.cpu_percent;
  if (resources.cpu_weight) out["cpuWeight"] = *resources.cpu_weight;
  if (resources.memory_bytes) out["memoryBytes"] = *resources.memory_bytes;
  if (resources.pids_limit) out["pidsLimit"] = *resources.pids_limit;
  return out;
}

}  // namespace

Result<ContainerSpec> container_spec_from_json(const nlohmann::json& body, const SpecLimits& limits,
                                               const validation::Limits& map_limits) {
  try {
    return read_container_spec(body, limits, map_limits);
  } catch (const std::exception& e) {  // nlohmann or allocation failures must not cross the module edge
    return message::invalid(std::string("container spec could not be read: ") + e.what());
  }
}

nlohmann::json to_json(const ContainerSpec& spec) {
  nlohmann::json out = nlohmann::json::object();
  if (!spec.name.empty()) out["name"] = spec.name;
  if (spec.isolation) out["isolation"] = std::string(to_string(*spec.isolation));
  if (!spec.sandbox.empty()) out["sandbox"] = spec.sandbox;
  if (spec.layer) out["layer"] = *spec.layer;
  out["command"] = spec.command;
  out["env"] = spec.env;
  if (!spec.working_dir.empty()) out["workingDir"] = spec.working_dir;
  if (!spec.user.empty()) out["user"] = spec.user;
  out["labels"] = spec.labels;
  out["annotations"] = spec.annotations;
  out["resources"] = resources_to_json(spec.resources);
  out["mounts"] = nlohmann::json::array();
  for (const auto& mount : spec.mounts) {
    out["mounts"].push_back({{"source", mount.source}, {"target", mount.target}, {"readOnly", mount.read_only}});
  }
  out["stopTimeoutSeconds"] = spec.stop_timeout_seconds;
  out["stopSignal"] = spec.stop_signal;
  out["log"] = {{"maxSizeBytes", spec.log.max_size_bytes}, {"maxFiles", spec.log.max_files}};
  out["seccomp"] = std::string(to_string(spec.seccomp));
  return out;
}

}  // namespace silo
