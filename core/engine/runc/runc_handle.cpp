#include "core/engine/runc/runc_handle.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

namespace silo::engine::runc {

namespace {

using nlohmann::json;

dev_t device_of(const std::filesystem::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? info.st_dev : 0;
}

// The root of the file system `dir` is on: its highest ancestor on the same device.
std::filesystem::path mount_point_of(const std::filesystem::path& dir) {
  const dev_t device = device_of(dir);
  std::filesystem::path mount = dir;
  while (mount.has_parent_path() && mount.parent_path() != mount && device_of(mount.parent_path()) == device) {
    mount = mount.parent_path();
  }
  return mount;
}

}  // namespace

Result<std::pair<std::string, platform::Cgroup>> container_cgroup(const platform::Cgroup& parent, const std::string& id) {
  const auto reference = parent.dir_for(parent.version == platform::CgroupVersion::v2 ? "unified" : "memory");
  const auto relative = reference.lexically_relative(mount_point_of(reference));
  if (relative.empty() || relative.string().starts_with("..")) {
    return make_error(Errc::unavailable, "cannot tell where the cgroup " + reference.string() + " is in its hierarchy");
  }
  const std::string path = "/" + (relative == "." ? std::filesystem::path(id) : relative / id).string();
  platform::Cgroup group{parent.version, {}};
  for (const auto& [controller, dir] : parent.dirs) {
    group.dirs[controller] = mount_point_of(dir) / path.substr(1);
  }
  return std::make_pair(path, group);
}

BackendHandle encode_handle(const RuncHandle& handle) {
  json dirs = json::object();
  for (const auto& [controller, dir] : handle.cgroup.dirs) dirs[controller] = dir.string();
  json value = {{"v", 1},
                {"backend", "runc"},
                {"container_id", handle.container_id},
                {"sandbox_id", handle.sandbox_id},
                {"state_dir", handle.state_dir.string()},
                {"cgroups_path", handle.cgroups_path},
                {"cgroup", {{"version", handle.cgroup.version == platform::CgroupVersion::v2 ? 2 : 1}, {"dirs", dirs}}}};
  if (handle.monitor) value["monitor"] = {{"pid", handle.monitor->pid}, {"start_time", handle.monitor->start_time}};
  return value.dump();
}

Result<RuncHandle> decode_handle(const BackendHandle& text) {
  auto value = json::parse(text, nullptr, false);
  try {
    if (value.is_discarded() || value.at("v").get<int>() != 1 || value.at("backend").get<std::string>() != "runc") {
      throw std::runtime_error("unknown handle version");
    }
    RuncHandle handle;
    handle.container_id = value.at("container_id").get<std::string>();
    handle.sandbox_id = value.at("sandbox_id").get<std::string>();
    handle.state_dir = value.at("state_dir").get<std::string>();
    handle.cgroups_path = value.at("cgroups_path").get<std::string>();
    const auto& cgroup = value.at("cgroup");
    handle.cgroup.version = cgroup.at("version").get<int>() == 2 ? platform::CgroupVersion::v2 : platform::CgroupVersion::v1;
    for (const auto& [controller, dir] : cgroup.at("dirs").items()) handle.cgroup.dirs[controller] = dir.get<std::string>();
    if (value.contains("monitor")) {
      handle.monitor = platform::ProcessIdentity{value.at("monitor").at("pid").get<int>(),
                                                 value.at("monitor").at("start_time").get<std::uint64_t>()};
    }
    return handle;
  } catch (const std::exception& e) {
    return make_error(Errc::invalid_argument, std::string("not a runc backend handle: ") + e.what());
  }
}

}  // namespace silo::engine::runc
