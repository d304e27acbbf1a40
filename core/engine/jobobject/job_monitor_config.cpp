#include "core/engine/jobobject/job_monitor_config.h"

#include "core/platform/atomic_file.h"

#include <nlohmann/json.hpp>

namespace silo::engine::jobobject {

namespace {

using nlohmann::json;

template <typename T>
json optional_json(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

template <typename T>
std::optional<T> optional_from(const json& value) {
  if (value.is_null()) return std::nullopt;
  return value.get<T>();
}

}  // namespace

std::wstring shutdown_event_name(const std::string& container_id) {
  return L"Local\\silo-shutdown-" + std::wstring(container_id.begin(), container_id.end());
}

Result<void> write_job_config(const JobMonitorConfig& config) {
  json value = {{"exec", config.exec},
                {"container_id", config.container_id},
                {"state_dir", config.state_dir.string()},
                {"limits",
                 {{"cpu_rate", optional_json(config.limits.cpu_rate)},
                  {"cpu_weight", optional_json(config.limits.cpu_weight)},
                  {"memory_bytes", optional_json(config.limits.memory_bytes)},
                  {"process_limit", optional_json(config.limits.process_limit)}}},
                {"command_line", config.command_line},
                {"env", config.env},
                {"working_dir", config.working_dir},
                {"log", {{"max_size_bytes", config.log.max_size_bytes}, {"max_files", config.log.max_files}}}};
  return platform::write_file_atomically(config.state_dir / kJobConfigFileName,
                                         value.dump(2, ' ', false, json::error_handler_t::replace));
}

Result<JobMonitorConfig> read_job_config(const std::filesystem::path& file) {
  auto text = platform::read_small_file(file);
  if (!text) return text.error();
  auto value = json::parse(*text, nullptr, false);
  if (value.is_discarded()) return make_error(Errc::internal, "monitor configuration " + file.string() + " is not JSON");
  try {
    JobMonitorConfig config;
    config.exec = value.at("exec").get<bool>();
    config.container_id = value.at("container_id").get<std::string>();
    config.state_dir = value.at("state_dir").get<std::string>();
    const auto& limits = value.at("limits");
    config.limits.cpu_rate = optional_from<std::uint32_t>(limits.at("cpu_rate"));
    config.limits.cpu_weight = optional_from<std::uint32_t>(limits.at("cpu_weight"));
    config.limits.memory_bytes = optional_from<std::uint64_t>(limits.at("memory_bytes"));
    config.limits.process_limit = optional_from<std::uint32_t>(limits.at("process_limit"));
    config.command_line = value.at("command_line").get<std::string>();
    config.env = value.at("env").get<std::vector<std::string>>();
    config.working_dir = value.at("working_dir").get<std::string>();
    config.log.max_size_bytes = value.at("log").at("max_size_bytes").get<std::int64_t>();
    config.log.max_files = value.at("log").at("max_files").get<std::int64_t>();
    return config;
  } catch (const json::exception& e) {
    // The file is ours; a field missing means a different silo version wrote it.
    return make_error(Errc::internal, "monitor configuration " + file.string() + " is incomplete: " + e.what());
  }
}

}  // namespace silo::engine::jobobject
