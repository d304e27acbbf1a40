#include "core/model/json_object_reader.h"
#include "core/model/message_text.h"
#include "core/model/spec_json.h"

namespace silo {
namespace {

Result<SandboxSpec> read_sandbox_spec(const nlohmann::json& body, const validation::Limits& limits) {
  auto reader = JsonObjectReader::open(body, "", "sandbox spec", {"name", "isolation", "labels", "annotations"});
  if (!reader) return reader.error();
  SandboxSpec spec;
  auto name = reader->string("name", limits.name_max);
  if (!name) return name.error();
  spec.name = name->value_or("");
  auto isolation = reader->string("isolation", 32);
  if (!isolation) return isolation.error();
  if (*isolation) {
    auto parsed = parse_isolation(**isolation);
    if (!parsed) return parsed.error();
    spec.isolation = *parsed;
  }
  auto labels = reader->string_map("labels", limits.labels_max, limits.label_value_max);
  if (!labels) return labels.error();
  spec.labels = labels->value_or(StringMap{});
  auto annotations = reader->string_map("annotations", limits.annotations_max, limits.annotation_value_max);
  if (!annotations) return annotations.error();
  spec.annotations = annotations->value_or(StringMap{});
  SILO_TRY(validate_sandbox_spec(spec, limits));
  return spec;
}

}  // namespace

Result<SandboxSpec> sandbox_spec_from_json(const nlohmann::json& body, const validation::Limits& map_limits) {
  try {
    return read_sandbox_spec(body, map_limits);
  } catch (const std::exception& e) {  // nlohmann or allocation failures must not cross the module edge
    return message::invalid(std::string("sandbox spec could not be read: ") + e.what());
  }
}

nlohmann::json to_json(const SandboxSpec& spec) {
  nlohmann::json out = nlohmann::json::object();
  if (!spec.name.empty()) out["name"] = spec.name;
  out["isolation"] = std::string(to_string(spec.isolation));
  out["labels"] = spec.labels;
  out["annotations"] = spec.annotations;
  return out;
}

}  // namespace silo
