// siloctl sandbox create | ls | inspect | rm.
#include "cli/commands/container_commands.h"
#include "cli/exit_codes.h"

#include <iostream>

namespace silo::cli {

int run_sandbox_command(const Context& ctx) {
  const client::ResourceClient api(ctx.client);
  const auto& a = ctx.args.containers;
  auto fail = [&](const client::ClientError& e) { return report_failure(e, ctx.client.endpoint()); };
  if (a.sandbox_action == "create") {
    nlohmann::json body = nlohmann::json::object();
    if (!a.name.empty()) body["name"] = a.name;
    if (!a.isolation.empty()) body["isolation"] = a.isolation;
    for (auto [list, field] : {std::pair{&a.labels, "labels"}, std::pair{&a.annotations, "annotations"}}) {
      for (const auto& item : *list) {
        auto eq = item.find('=');
        if (eq == std::string::npos || eq == 0) {
          std::cerr << "siloctl: bad " << field << " \"" << item << "\": expected key=value\n";
          return kExitUsage;
        }
        body[field][item.substr(0, eq)] = item.substr(eq + 1);
      }
    }
    auto created = api.call("POST", "/v1/sandboxes", body);
    if (!created) return fail(created.error());
    std::cout << (*created)["id"].get<std::string>() << "\n";
    return kExitOk;
  }
  if (a.sandbox_action == "ls") {
    auto list = api.call("GET", "/v1/sandboxes");
    if (!list) return fail(list.error());
    if (ctx.args.format == Format::json) {
      std::cout << list->dump() << "\n";
      return kExitOk;
    }
    std::printf("%-14s %-30s %-10s %s\n", "SANDBOX ID", "NAME", "ISOLATION", "STATE");
    for (const auto& s : *list) {
      std::printf("%-14s %-30s %-10s %s\n", s.value("id", "").substr(0, 12).c_str(), s.value("name", "").c_str(),
                  s.value("isolation", "").c_str(), s.value("state", "").c_str());
    }
    return kExitOk;
  }
  int code = kExitOk;
  nlohmann::json all = nlohmann::json::array();
  for (const auto& ref : a.refs) {
    const std::string path = "/v1/sandboxes/" + client::url_encode(ref);
    auto done = a.sandbox_action == "rm" ? api.call("DELETE", path + (a.force ? "?force=true" : ""), std::nullopt, true)
                                         : api.call("GET", path);
    if (!done) {
      code = fail(done.error());
      continue;
    }
    if (a.sandbox_action == "rm") std::cout << ref << "\n";
    else all.push_back(*done);
  }
  if (a.sandbox_action == "inspect") std::cout << all.dump(4) << "\n";
  return code;
}

}  // namespace silo::cli
