// siloctl layer import | ls | inspect | rm.
#include "cli/commands/layer_commands.h"

#include "api/client/resources.h"
#include "cli/exit_codes.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>

namespace silo::cli {
namespace {

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

int no_close(std::FILE*) { return 0; }

// docker's SIZE column: decimal units, three significant digits.
std::string human_size(std::uint64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1000 && unit + 1 < std::size(units)) {
    value /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f%s" : "%.3g%s", value, units[unit]);
  return text;
}

int import_layer(const Context& ctx, const LayerArgs& a) {
  const bool from_stdin = a.file == "-";
  FilePtr file(from_stdin ? stdin : std::fopen(a.file.c_str(), "rb"), from_stdin ? no_close : std::fclose);
  if (!file) {
    std::cerr << "siloctl: cannot open " << a.file << ": " << std::strerror(errno) << "\n";
    return kExitDaemonRefused;
  }
  // A regular file's length is known, so the daemon can refuse an oversized one before any byte.
  std::optional<std::uint64_t> length;
  std::error_code ec;
  if (!from_stdin && std::filesystem::is_regular_file(a.file, ec)) length = std::filesystem::file_size(a.file, ec);
  if (ec) length.reset();

  bool read_failed = false;
  auto source = [&](std::span<char> buffer) -> client::ClientResult<std::size_t> {
    std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
    if (got == 0 && std::ferror(file.get())) {
      read_failed = true;
      return client::unreachable(make_error(Errc::invalid_argument, "reading " + a.file + " failed"));
    }
    return got;
  };
  client::HttpRequest request;
  request.method = "POST";
  request.target = "/v1/layers" + (a.parent.empty() ? std::string() : "?parent=" + client::url_encode(a.parent));
  request.content_type = "application/octet-stream";
  auto answer = ctx.client.upload(request, source, length);
  if (read_failed) {
    std::cerr << "siloctl: cannot read " << a.file << ": " << std::strerror(errno) << "\n";
    return kExitDaemonRefused;
  }
  if (!answer) return report_failure(answer.error(), ctx.client.endpoint());
  if (answer->head.status >= 300) {
    return report_failure(client::daemon_error(answer->head.status, answer->body), ctx.client.endpoint());
  }
  auto layer = nlohmann::json::parse(answer->body, nullptr, false);
  if (layer.is_discarded() || !layer.contains("id")) {
    return report_failure(client::protocol_error("the import answer has no layer id"), ctx.client.endpoint());
  }
  std::cout << layer["id"].get<std::string>() << "\n";
  return kExitOk;
}

std::string short_id(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>().substr(0, 12) : std::string("-");
}

int list_layers(const Context& ctx) {
  const client::ResourceClient api(ctx.client);
  auto list = api.call("GET", "/v1/layers");
  if (!list) return report_failure(list.error(), ctx.client.endpoint());
  if (ctx.args.format == Format::json) {
    std::cout << list->dump() << "\n";
    return kExitOk;
  }
  std::printf("%-14s %-14s %10s %-6s %s\n", "LAYER ID", "PARENT", "SIZE", "DEPTH", "CREATED");
  for (const auto& layer : *list) {
    std::printf("%-14s %-14s %10s %-6zu %s\n", short_id(layer["id"]).c_str(), short_id(layer["parent"]).c_str(),
                human_size(layer.value("sizeBytes", std::uint64_t{0})).c_str(), layer.value("chain", nlohmann::json::array()).size(),
                layer.value("createdAt", "").c_str());
  }
  return kExitOk;
}

}  // namespace

int run_layer_command(const Context& ctx, const LayerArgs& a) {
  if (a.action == "import") return import_layer(ctx, a);
  if (a.action == "ls") return list_layers(ctx);
  const client::ResourceClient api(ctx.client);
  int code = kExitOk;
  nlohmann::json all = nlohmann::json::array();
  for (const auto& ref : a.refs) {
    const std::string path = "/v1/layers/" + client::url_encode(ref);
    auto done = a.action == "rm" ? api.call("DELETE", path) : api.call("GET", path);
    if (!done) {
      code = report_failure(done.error(), ctx.client.endpoint());
      continue;
    }
    if (a.action == "rm") std::cout << ref << "\n";
    else all.push_back(*done);
  }
  if (a.action == "inspect") std::cout << all.dump(4) << "\n";
  return code;
}

}  // namespace silo::cli
