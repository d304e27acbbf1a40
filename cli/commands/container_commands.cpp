#include "cli/commands/container_commands.h"

#include "cli/exit_codes.h"

#include <iostream>

namespace silo::cli {
namespace {

using client::ClientResult;
using client::container_path;
using client::url_encode;

struct Runner {
  const Context& ctx;
  client::ResourceClient api{ctx.client};

  int fail(const client::ClientError& error) const { return report_failure(error, ctx.client.endpoint()); }
  const ContainerArgs& a() const { return ctx.args.containers; }

  // Runs `one` for every ref given, like docker: keeps going, exits 1 if any failed.
  template <class F>
  int each(F one) const {
    int code = kExitOk;
    for (const auto& ref : a().refs) {
      auto result = one(ref);
      if (!result) code = fail(result.error());
    }
    return code;
  }

  ClientResult<nlohmann::json> create() const {
    auto spec = spec_from_flags(a());
    if (!spec) return client::ClientError{client::Failure::daemon, spec.error(), 0};
    return api.call("POST", "/v1/containers", *spec);
  }

  // Prints the output as it comes, until the container stops running.
  ClientResult<void> follow_logs(const std::string& id, bool follow) const {
    std::string target = container_path(id, "/logs?follow=") + (follow ? "true" : "false") +
                         "&timestamps=" + (a().timestamps ? "true" : "false") + "&tail=" + url_encode(a().tail);
    return api.stream(target, [](std::string_view piece) {
      std::cout.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      std::cout.flush();
      return true;
    }, follow);
  }

  ClientResult<int> wait_exit(const std::string& ref, const std::string& condition) const {
    auto answer = api.call("POST", container_path(ref, "/wait?condition=" + condition), std::nullopt, true);
    if (!answer) return answer.error();
    if (answer->contains("error")) {
      return client::ClientError{client::Failure::daemon, make_error(Errc::unavailable, (*answer)["error"].value("message", "wait failed")), 200};
    }
    return (*answer)["exitCode"].is_number_integer() ? (*answer)["exitCode"].get<int>() : 0;
  }

  int run() const {
    auto created = create();
    if (!created) return fail(created.error());
    const std::string id = (*created)["id"];
    auto started = api.call("POST", container_path(id, "/start"));
    if (!started) return fail(started.error());
    if (a().detach) {
      std::cout << id << "\n";
      return kExitOk;
    }
    if (auto logs = follow_logs(id, true); !logs) return fail(logs.error());
    auto code = wait_exit(id, "not-running");
    if (!code) return fail(code.error());
    return *code;
  }

  int exec() const {
    const auto& ref = a().refs.front();
    nlohmann::json body{{"command", a().command}};
    if (!a().env.empty()) body["env"] = a().env;
    if (!a().workdir.empty()) body["workingDir"] = a().workdir;
    if (!a().user.empty()) body["user"] = a().user;
    auto created = api.call("POST", container_path(ref, "/exec"), body);
    if (!created) return fail(created.error());
    const std::string id = (*created)["id"];
    auto started = api.call("POST", "/v1/exec/" + id + "/start");
    if (!started) return fail(started.error());
    if (a().detach) {
      std::cout << id << "\n";
      return kExitOk;
    }
    auto logs = api.stream("/v1/exec/" + id + "/logs?follow=true", [](std::string_view piece) {
      std::cout.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      std::cout.flush();
      return true;
    }, true);
    if (!logs) return fail(logs.error());
    auto done = api.call("GET", "/v1/exec/" + id);
    if (!done) return fail(done.error());
    return (*done)["exitCode"].is_number_integer() ? (*done)["exitCode"].get<int>() : kExitDaemonRefused;
  }

  int stats() const {
    const auto& ref = a().refs.front();
    auto print = [](const nlohmann::json& s) {
      std::cout << "CPU " << s.value("cpuUsageNs", 0ull) / 1000000 << "ms  MEM " << s.value("memoryUsageBytes", 0ull);
      if (s["memoryLimitBytes"].is_number()) std::cout << " / " << s["memoryLimitBytes"].get<std::uint64_t>();
      std::cout << "  PIDS " << s.value("pidsCurrent", 0ull) << std::endl;
    };
    if (a().no_stream) {
      auto one = api.call("GET", container_path(ref, "/stats"));
      if (!one) return fail(one.error());
      if (ctx.args.format == Format::json) std::cout << one->dump() << "\n";
      else print(*one);
      return kExitOk;
    }
    std::string partial;
    auto streamed = api.stream(container_path(ref, "/stats?stream=true"), [&](std::string_view piece) {
      partial.append(piece);
      for (auto nl = partial.find('\n'); nl != std::string::npos; nl = partial.find('\n')) {
        auto sample = nlohmann::json::parse(partial.substr(0, nl), nullptr, false);
        partial.erase(0, nl + 1);
        if (sample.is_discarded()) continue;
        if (ctx.args.format == Format::json) std::cout << sample.dump() << std::endl;
        else print(sample);
      }
      return true;
    }, true);
    return streamed ? kExitOk : fail(streamed.error());
  }

  int ps() const {
    std::string target = "/v1/containers";
    char sep = '?';
    if (!a().all) {
      target += "?state=running";
      sep = '&';
    }
    for (const auto& filter : a().filters) {
      auto eq = filter.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::cerr << "siloctl: bad --filter \"" << filter << "\": expected key=value\n";
        return kExitUsage;
      }
      target += sep + url_encode(filter.substr(0, eq)) + "=" + url_encode(filter.substr(eq + 1));
      sep = '&';
    }
    auto list = api.call("GET", target);
    if (!list) return fail(list.error());
    return print_ps(ctx, *list);
  }
};

}  // namespace

int run_container_command(const Context& ctx) {
  const Runner r{ctx};
  const std::string& cmd = ctx.args.command;
  auto print_ref = [](const std::string& ref) { std::cout << ref << "\n"; };
  if (cmd == "run") return r.run();
  if (cmd == "create") {
    auto created = r.create();
    if (!created) return r.fail(created.error());
    std::cout << (*created)["id"].get<std::string>() << "\n";
    return kExitOk;
  }
  if (cmd == "start" || cmd == "stop" || cmd == "restart" || cmd == "kill" || cmd == "rm") {
    return r.each([&](const std::string& ref) -> ClientResult<void> {
      std::string target = container_path(ref, cmd == "rm" ? "" : "/" + cmd);
      if ((cmd == "stop" || cmd == "restart") && r.a().time) target += "?timeout=" + std::to_string(*r.a().time);
      if (cmd == "kill") target += "?signal=" + url_encode(r.a().signal);
      if (cmd == "rm" && r.a().force) target += "?force=true";
      auto done = r.api.call(cmd == "rm" ? "DELETE" : "POST", target, std::nullopt, cmd == "stop" || cmd == "restart" || cmd == "rm");
      if (!done) return done.error();
      print_ref(ref);
      return {};
    });
  }
  if (cmd == "inspect") {
    nlohmann::json all = nlohmann::json::array();
    int code = r.each([&](const std::string& ref) -> ClientResult<void> {
      auto one = r.api.call("GET", container_path(ref));
      if (!one) return one.error();
      all.push_back(*one);
      return {};
    });
    std::cout << all.dump(4) << "\n";
    return code;
  }
  if (cmd == "wait") {
    return r.each([&](const std::string& ref) -> ClientResult<void> {
      auto code = r.wait_exit(ref, "not-running");
      if (!code) return code.error();
      std::cout << *code << "\n";
      return {};
    });
  }
  if (cmd == "logs") {
    auto done = r.follow_logs(ctx.args.containers.refs.front(), ctx.args.containers.follow);
    return done ? kExitOk : r.fail(done.error());
  }
  if (cmd == "exec") return r.exec();
  if (cmd == "stats") return r.stats();
  if (cmd == "ps") return r.ps();
  return kExitUsage;
}

}  // namespace silo::cli
