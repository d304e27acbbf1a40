// Containers, sandboxes, execs and stats on the wire (camelCase; openapi.yaml's Container,
// Sandbox, Exec and ContainerStats schemas). Times are RFC 3339 with nanoseconds; unset ones null.
#pragma once

#include "core/engine/backend.h"
#include "core/model/records.h"
#include "core/services/exec_service.h"

#include <nlohmann/json.hpp>

namespace silo::api {

// {"id","name","sandboxId","isolation","hostProcess","state","stateReason","createdAt","startedAt",
//  "finishedAt","exitCode","oomKilled","labels","annotations","spec","layer"}
nlohmann::json container_to_json(const ContainerRecord& record);
// {"id","name","isolation","state","hostProcess","labels","annotations","createdAt","spec"}
nlohmann::json sandbox_to_json(const SandboxRecord& record);
// {"id","containerId","command","env","workingDir","user","running","exitCode","createdAt","startedAt","finishedAt"}
nlohmann::json exec_to_json(const services::ExecRecord& record);
// {"readAt","cpuUsageNs","memoryUsageBytes","memoryLimitBytes","pidsCurrent","pidsLimit"}
nlohmann::json stats_to_json(const engine::ContainerStats& stats);

// The body of POST /v1/containers/{id}/exec: {"command","env","workingDir","user"}.
Result<services::ExecSpec> exec_spec_from_json(const nlohmann::json& body);

}  // namespace silo::api
