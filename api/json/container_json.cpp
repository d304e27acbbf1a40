#include "api/json/container_json.h"

#include "core/clock.h"
#include "core/model/hostprocess_annotations.h"

namespace silo::api {
namespace {

nlohmann::json time_or_null(const std::optional<TimeNs>& t) {
  return t ? nlohmann::json(format_rfc3339(*t)) : nlohmann::json(nullptr);
}

template <class T>
nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

bool marked_hostprocess(const nlohmann::json& annotations) {
  if (!annotations.is_object()) return false;
  auto found = annotations.find(std::string(hostprocess::kContainerAnnotation));
  return found != annotations.end() && found->is_string() && found->get<std::string>() == "true";
}

// The record keeps the reason text, not a flag; both texts come from container_transitions.cpp.
bool oom_killed(const ContainerRecord& record) {
  if (record.state != ContainerState::exited) return false;
  const auto& reason = record.state_reason;
  return reason.find("exceeding its memory limit") != std::string::npos || reason.ends_with("; out of memory");
}

Result<std::vector<std::string>> string_array(const nlohmann::json& body, const char* field) {
  std::vector<std::string> out;
  auto found = body.find(field);
  if (found == body.end() || found->is_null()) return out;
  if (!found->is_array()) return make_error(Errc::invalid_argument, std::string(field) + " must be an array of strings");
  for (const auto& item : *found) {
    if (!item.is_string()) return make_error(Errc::invalid_argument, std::string(field) + " must be an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::string> string_field(const nlohmann::json& body, const char* field) {
  auto found = body.find(field);
  if (found == body.end() || found->is_null()) return std::string();
  if (!found->is_string()) return make_error(Errc::invalid_argument, std::string(field) + " must be a string");
  return found->get<std::string>();
}

}  // namespace

nlohmann::json container_to_json(const ContainerRecord& record) {
  const auto& spec = record.spec;
  nlohmann::json annotations = spec.contains("annotations") ? spec["annotations"] : nlohmann::json::object();
  bool hostprocess = record.isolation == Isolation::hostprocess || marked_hostprocess(annotations);
  return {{"id", record.id},
          {"name", record.name},
          {"sandboxId", record.sandbox_id},
          {"isolation", std::string(to_string(record.isolation))},
          {"hostProcess", hostprocess},
          {"state", std::string(to_string(record.state))},
          {"stateReason", record.state_reason},
          {"createdAt", format_rfc3339(record.created_at)},
          {"startedAt", time_or_null(record.started_at)},
          {"finishedAt", time_or_null(record.finished_at)},
          {"exitCode", or_null(record.exit_code)},
          {"oomKilled", oom_killed(record)},
          {"labels", record.labels},
          {"annotations", annotations},
          {"spec", spec},
          {"layer", or_null(record.top_layer)}};
}

nlohmann::json sandbox_to_json(const SandboxRecord& record) {
  nlohmann::json annotations = record.annotations;
  return {{"id", record.id},
          {"name", record.name},
          {"isolation", std::string(to_string(record.isolation))},
          {"state", std::string(to_string(record.state))},
          {"hostProcess", marked_hostprocess(annotations)},
          {"labels", record.labels},
          {"annotations", annotations},
          {"createdAt", format_rfc3339(record.created_at)},
          {"spec", record.spec}};
}

nlohmann::json exec_to_json(const services::ExecRecord& record) {
  return {{"id", record.id},
          {"containerId", record.container_id},
          {"command", record.spec.command},
          {"env", record.spec.env},
          {"workingDir", record.spec.working_dir},
          {"user", record.spec.user},
          {"running", record.running},
          {"exitCode", or_null(record.exit_code)},
          {"createdAt", format_rfc3339(record.created_at)},
          {"startedAt", time_or_null(record.started_at)},
          {"finishedAt", time_or_null(record.finished_at)}};
}

nlohmann::json stats_to_json(const engine::ContainerStats& stats) {
  return {{"readAt", format_rfc3339(stats.read_at)},
          {"cpuUsageNs", stats.cpu_usage_ns},
          {"memoryUsageBytes", stats.memory_usage_bytes},
          {"memoryLimitBytes", or_null(stats.memory_limit_bytes)},
          {"pidsCurrent", stats.pids_current},
          {"pidsLimit", or_null(stats.pids_limit)}};
}

Result<services::ExecSpec> exec_spec_from_json(const nlohmann::json& body) {
  if (!body.is_object()) return make_error(Errc::invalid_argument, "the body must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (key != "command" && key != "env" && key != "workingDir" && key != "user") {
      return make_error(Errc::invalid_argument, "unknown field \"" + key + "\"; expected command, env, workingDir, user");
    }
  }
  services::ExecSpec spec;
  auto command = string_array(body, "command");
  if (!command) return command.error();
  spec.command = std::move(*command);
  auto env = string_array(body, "env");
  if (!env) return env.error();
  spec.env = std::move(*env);
  auto dir = string_field(body, "workingDir");
  if (!dir) return dir.error();
  spec.working_dir = std::move(*dir);
  auto user = string_field(body, "user");
  if (!user) return user.error();
  spec.user = std::move(*user);
  return spec;
}

}  // namespace silo::api
