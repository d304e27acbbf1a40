#include "core/engine/monitor/monitor_config.h"

#include "core/platform/atomic_file.h"

#include <nlohmann/json.hpp>

namespace silo::engine::monitor {

namespace {

using nlohmann::json;

json cgroup_to_json(const platform::Cgroup& group) {
  json dirs = json::object();
  for (const auto& [controller, dir] : group.dirs) dirs[controller] = dir.string();
  return {{"version", group.version == platform::CgroupVersion::v2 ? 2 : 1}, {"dirs", dirs}};
}

platform::Cgroup cgroup_from_json(const json& value) {
  platform::Cgroup group;
  group.version = value.at("version").get<int>() == 2 ? platform::CgroupVersion::v2 : platform::CgroupVersion::v1;
  for (const auto& [controller, dir] : value.at("dirs").items()) group.dirs[controller] = dir.get<std::string>();
  return group;
}

json launch_to_json(const platform::ProcessLaunch& launch) {
  json mounts = json::array();
  for (const auto& m : launch.mounts) mounts.push_back({{"source", m.source}, {"target", m.target}, {"read_only", m.read_only}});
  json value = {{"argv", launch.argv}, {"env", launch.env},       {"working_dir", launch.working_dir},
                {"uid", launch.uid},   {"gid", launch.gid},       {"groups", launch.groups},
                {"mounts", mounts}};
  if (launch.cgroup) value["cgroup"] = cgroup_to_json(*launch.cgroup);
  if (launch.mount_ns_of) value["mount_ns_of"] = {{"pid", launch.mount_ns_of->pid}, {"start_time", launch.mount_ns_of->start_time}};
  return value;
}

platform::ProcessLaunch launch_from_json(const json& value) {
  platform::ProcessLaunch launch;
  launch.argv = value.at("argv").get<std::vector<std::string>>();
  launch.env = value.at("env").get<std::vector<std::string>>();
  launch.working_dir = value.at("working_dir").get<std::string>();
  launch.uid = value.at("uid").get<unsigned>();
  launch.gid = value.at("gid").get<unsigned>();
  launch.groups = value.at("groups").get<std::vector<unsigned>>();
  for (const auto& m : value.at("mounts")) {
    launch.mounts.push_back({m.at("source").get<std::string>(), m.at("target").get<std::string>(), m.at("read_only").get<bool>()});
  }
  if (value.contains("cgroup")) launch.cgroup = cgroup_from_json(value.at("cgroup"));
  if (value.contains("mount_ns_of")) {
    const auto& ns = value.at("mount_ns_of");
    launch.mount_ns_of = platform::ProcessIdentity{ns.at("pid").get<int>(), ns.at("start_time").get<std::uint64_t>()};
  }
  return launch;
}

}  // namespace

Result<void> write_config(const MonitorConfig& config) {
  json value = {{"mode", config.mode == Mode::exec ? "exec" : "container"},
                {"state_dir", config.state_dir.string()},
                {"launch", launch_to_json(config.launch)},
                {"log", {{"max_size_bytes", config.log.max_size_bytes}, {"max_files", config.log.max_files}}}};
  if (config.watched_cgroup) value["watched_cgroup"] = cgroup_to_json(*config.watched_cgroup);
  if (config.monitor_cgroup) value["monitor_cgroup"] = cgroup_to_json(*config.monitor_cgroup);
  if (config.exit_code_carries_signal) value["exit_code_carries_signal"] = true;
  // Read by the monitor it is written for and by exec while that monitor lives; a host crash ends
  // both, so the page cache is enough (two fsyncs less on every start and exec).
  return platform::write_file_atomically(config.state_dir / kConfigFileName,
                                         value.dump(2, ' ', false, json::error_handler_t::replace),
                                         platform::Durability::process_crash);
}

Result<MonitorConfig> read_config(const std::filesystem::path& file) {
  auto text = platform::read_small_file(file);
  if (!text) return text.error();
  auto value = json::parse(*text, nullptr, false);
  if (value.is_discarded()) return make_error(Errc::internal, "monitor configuration " + file.string() + " is not JSON");
  try {
    MonitorConfig config;
    config.mode = value.at("mode").get<std::string>() == "exec" ? Mode::exec : Mode::container;
    config.state_dir = value.at("state_dir").get<std::string>();
    config.launch = launch_from_json(value.at("launch"));
    config.log.max_size_bytes = value.at("log").at("max_size_bytes").get<std::int64_t>();
    config.log.max_files = value.at("log").at("max_files").get<std::int64_t>();
    if (value.contains("watched_cgroup")) config.watched_cgroup = cgroup_from_json(value.at("watched_cgroup"));
    if (value.contains("monitor_cgroup")) config.monitor_cgroup = cgroup_from_json(value.at("monitor_cgroup"));
    config.exit_code_carries_signal = value.value("exit_code_carries_signal", false);
    return config;
  } catch (const nlohmann::json::exception& e) {
    // The file is ours; a field missing means a different silo version wrote it.
    return make_error(Errc::internal, "monitor configuration " + file.string() + " is incomplete: " + e.what());
  }
}

}  // namespace silo::engine::monitor
