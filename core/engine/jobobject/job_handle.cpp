#include "core/engine/jobobject/job_handle.h"

#include <nlohmann/json.hpp>

namespace silo::engine::jobobject {

namespace {

using nlohmann::json;

json identity_json(const platform::ProcessIdentity& identity) { return {{"pid", identity.pid}, {"start_time", identity.start_time}}; }

platform::ProcessIdentity identity_from(const json& value) {
  return {value.at("pid").get<int>(), value.at("start_time").get<std::uint64_t>()};
}

const char* kind_name(AccountKind kind) {
  switch (kind) {
    case AccountKind::service: return "service";
    case AccountKind::local_group: return "group";
    case AccountKind::inherit: break;
  }
  return "inherit";
}

AccountKind kind_from(const std::string& name) {
  if (name == "service") return AccountKind::service;
  if (name == "group") return AccountKind::local_group;
  if (name == "inherit") return AccountKind::inherit;
  throw std::runtime_error("unknown account kind " + name);
}

}  // namespace

BackendHandle encode_handle(const JobHandle& handle) {
  std::vector<std::string> links;
  for (const auto& link : handle.mount_links) links.push_back(link.string());
  json value = {{"v", 1},
                {"backend", "jobobject"},
                {"container_id", handle.container_id},
                {"state_dir", handle.state_dir.string()},
                {"rootfs", handle.rootfs.string()},
                {"rootfs_created", handle.rootfs_created},
                {"mount_links", links},
                {"account",
                 {{"kind", kind_name(handle.account.kind)},
                  {"service_user", handle.account.service_user},
                  {"group", handle.account.group},
                  {"temporary_user", handle.account.temporary_user}}}};
  if (handle.monitor) value["monitor"] = identity_json(*handle.monitor);
  if (handle.main) value["main"] = identity_json(*handle.main);
  return value.dump();
}

Result<JobHandle> decode_handle(const BackendHandle& text) {
  auto value = json::parse(text, nullptr, false);
  try {
    if (value.is_discarded() || value.at("v").get<int>() != 1 || value.at("backend").get<std::string>() != "jobobject") {
      throw std::runtime_error("unknown handle version");
    }
    JobHandle handle;
    handle.container_id = value.at("container_id").get<std::string>();
    handle.state_dir = value.at("state_dir").get<std::string>();
    handle.rootfs = value.at("rootfs").get<std::string>();
    handle.rootfs_created = value.at("rootfs_created").get<bool>();
    for (const auto& link : value.at("mount_links")) handle.mount_links.emplace_back(link.get<std::string>());
    const auto& account = value.at("account");
    handle.account.kind = kind_from(account.at("kind").get<std::string>());
    handle.account.service_user = account.at("service_user").get<std::string>();
    handle.account.group = account.at("group").get<std::string>();
    handle.account.temporary_user = account.at("temporary_user").get<std::string>();
    if (value.contains("monitor")) handle.monitor = identity_from(value.at("monitor"));
    if (value.contains("main")) handle.main = identity_from(value.at("main"));
    return handle;
  } catch (const std::exception& e) {
    return make_error(Errc::invalid_argument, std::string("not a jobobject backend handle: ") + e.what());
  }
}

}  // namespace silo::engine::jobobject
