#include "api/routes/system/system_routes.h"

#include "api/http/error_response.h"

#include <nlohmann/json.hpp>

namespace silo::api {
namespace {

nlohmann::json version_json(const VersionInfo& v) {
  return {{"version", v.version}, {"apiVersion", v.api_version}, {"gitCommit", v.git_commit}, {"os", v.os},
          {"arch", v.arch},       {"kernelVersion", v.kernel_version}, {"buildType", v.build_type}};
}

nlohmann::json isolation_json(const engine::Engine& engine) {
  nlohmann::json out = nlohmann::json::object();
  for (auto mode : {Isolation::process, Isolation::hyperv, Isolation::hostprocess}) {
    auto availability = engine.availability(mode);
    out[std::string(to_string(mode))] = {{"available", availability.available},
                                         {"reason", availability.available ? "" : availability.reason}};
  }
  return out;
}

Result<nlohmann::json> counts_json(MetadataStore& store) {
  auto containers = store.list_containers({});
  if (!containers) return containers.error();
  auto sandboxes = store.list_sandboxes({});
  if (!sandboxes) return sandboxes.error();
  auto layers = store.list_layers();
  if (!layers) return layers.error();
  auto last_event = store.last_event_id();
  if (!last_event) return last_event.error();
  std::int64_t running = 0, created = 0, exited = 0;
  for (const auto& container : *containers) {
    running += container.state == ContainerState::running;
    created += container.state == ContainerState::created;
    exited += container.state == ContainerState::exited;
  }
  nlohmann::json counts{
      {"containers",
       {{"total", containers->size()}, {"running", running}, {"created", created}, {"exited", exited}}},
      {"sandboxes", sandboxes->size()},
      {"layers", layers->size()},
      {"eventsLastId", *last_event},
  };
  // json converts from almost anything, so name the alternative explicitly.
  return Result<nlohmann::json>(boost::system::in_place_value, std::move(counts));
}

Response info(const SystemContext& context) {
  auto counts = counts_json(*context.store);
  if (!counts) return error_response(counts.error());
  const auto& host = context.host;
  const auto& c = context.components;
  nlohmann::json body{
      {"hostname", host.hostname},
      {"os", {{"name", host.os_name}, {"version", host.os_version}, {"kernel", host.kernel}}},
      {"cpus", host.cpus},
      {"memoryBytes", host.memory_bytes},
      {"dataRoot", context.data_root},
      {"versions", {{"silo", c.silo}, {"sqlite", c.sqlite}, {"openssl", c.openssl}, {"boost", c.boost}}},
      {"isolation", isolation_json(*context.engine)},
  };
  body.update(*counts);
  return json_response(http::status::ok, body);
}

}  // namespace

void add_system_routes(Router& router, std::shared_ptr<const SystemContext> context) {
  router.add_plain(http::verb::get, "/_ping", [](const Request&) {
    Response response;
    response.content_type = "text/plain; charset=utf-8";
    response.body = "OK";
    return response;
  });
  router.add_plain(http::verb::get, "/v1/version",
                   [context](const Request&) { return json_response(http::status::ok, version_json(context->version)); });
  router.add_plain(http::verb::get, "/v1/info", [context](const Request&) { return info(*context); });
}

}  // namespace silo::api
