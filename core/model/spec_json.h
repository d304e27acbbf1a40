// The wire form of container and sandbox specs (camelCase JSON, the bodies of POST /v1/containers
// and POST /v1/sandboxes) and the form kept in records. from_json never throws: unknown fields,
// wrong types and out-of-bounds values come back as invalid_argument naming the field, and a
// returned spec has passed validate_container_spec / validate_sandbox_spec.
#pragma once

#include "core/errors.h"
#include "core/model/container_spec.h"
#include "core/model/sandbox_spec.h"

#include <nlohmann/json.hpp>

namespace silo {

// {"name","isolation","sandbox","layer","command","env","workingDir","user","labels","annotations",
//  "resources":{"cpuCount","cpuPercent","cpuWeight","memoryBytes","pidsLimit"},
//  "mounts":[{"source","target","readOnly"}],"stopTimeoutSeconds","stopSignal",
//  "log":{"maxSizeBytes","maxFiles"}}
Result<ContainerSpec> container_spec_from_json(const nlohmann::json& body, const SpecLimits& limits = {},
                                               const validation::Limits& map_limits = {});
// Every field, defaults included, so inspect shows what will be applied; unset optionals are left out.
nlohmann::json to_json(const ContainerSpec& spec);

// {"name","isolation","labels","annotations"}
Result<SandboxSpec> sandbox_spec_from_json(const nlohmann::json& body, const validation::Limits& map_limits = {});
nlohmann::json to_json(const SandboxSpec& spec);

}  // namespace silo
