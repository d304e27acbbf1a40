#include "core/engine/hostprocess/hostprocess_handle.h"

#include <nlohmann/json.hpp>

namespace silo::engine::hostprocess {

namespace {

using nlohmann::json;

json identity_json(const platform::ProcessIdentity& identity) {
  return {{"pid", identity.pid}, {"start_time", identity.start_time}};
}

platform::ProcessIdentity identity_from(const json& value) {
  return {value.at("pid").get<int>(), value.at("start_time").get<std::uint64_t>()};
}

}  // namespace

BackendHandle encode_handle(const HostProcessHandle& handle) {
  json dirs = json::object();
  for (const auto& [controller, dir] : handle.cgroup.dirs) dirs[controller] = dir.string();
  json value = {{"v", 1},
                {"container_id", handle.container_id},
                {"state_dir", handle.state_dir.string()},
                {"rootfs", handle.rootfs.string()},
                {"rootfs_created", handle.rootfs_created},
                {"cgroup", {{"version", handle.cgroup.version == platform::CgroupVersion::v2 ? 2 : 1}, {"dirs", dirs}}}};
  if (handle.monitor) value["monitor"] = identity_json(*handle.monitor);
  if (handle.main) value["main"] = identity_json(*handle.main);
  return value.dump();
}

Result<HostProcessHandle> decode_handle(const BackendHandle& text) {
  auto value = json::parse(text, nullptr, false);
  try {
    if (value.is_discarded() || value.at("v").get<int>() != 1) throw std::runtime_error("unknown handle version");
    HostProcessHandle handle;
    handle.container_id = value.at("container_id").get<std::string>();
    handle.state_dir = value.at("state_dir").get<std::string>();
    handle.rootfs = value.at("rootfs").get<std::string>();
    handle.rootfs_created = value.at("rootfs_created").get<bool>();
    const auto& cgroup = value.at("cgroup");
    handle.cgroup.version = cgroup.at("version").get<int>() == 2 ? platform::CgroupVersion::v2 : platform::CgroupVersion::v1;
    for (const auto& [controller, dir] : cgroup.at("dirs").items()) handle.cgroup.dirs[controller] = dir.get<std::string>();
    if (handle.cgroup.dirs.empty()) throw std::runtime_error("no cgroup");
    if (value.contains("monitor")) handle.monitor = identity_from(value.at("monitor"));
    if (value.contains("main")) handle.main = identity_from(value.at("main"));
    return handle;
  } catch (const std::exception& e) {
    return make_error(Errc::invalid_argument, std::string("not a hostprocess backend handle: ") + e.what());
  }
}

}  // namespace silo::engine::hostprocess
