// libFuzzer target: arbitrary bytes (one request, several pipelined ones, or garbage) go through the
// real Session (Beast parser under small limits, target parsing, router, /_ping, /v1/version,
// /v1/info, /v1/events over a real SQLite store in a temp dir) on an in-memory stream, followed by
// end of stream. Sanitizers catch memory errors and UB; the harness aborts when what the server
// wrote is not a sequence of complete HTTP responses, or when a 4xx/5xx lacks the JSON error body.
#include "fuzz_stream.h"

#include "api/http/error_response.h"
#include "api/http/session.h"
#include "api/json/body.h"
#include "api/routes/events/events_routes.h"
#include "api/routes/system/system_routes.h"
#include "core/events/publishing_store.h"
#include "core/logging.h"
#include "core/model/spec_json.h"
#include "storage/sqlite/metadata_store.h"

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

namespace silo::fuzz {
namespace {

namespace http = boost::beast::http;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "http_request_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

api::Limits fuzz_limits() {
  api::Limits limits;
  limits.max_header_bytes = 2048;  // small, so the fuzzer reaches the 431 and 413 paths
  limits.max_body_bytes = 4096;
  limits.max_json_depth = 16;
  return limits;
}

// A harness-only route with a JSON body, standing in for the create routes that are not written
// yet: the body goes through parse_json_body and the container spec decoder.
void add_spec_route(api::Router& router, std::size_t max_depth) {
  router.add_plain(http::verb::post, "/fuzz/containers", [max_depth](const api::Request& request) -> api::Response {
    auto body = api::parse_json_body(request, max_depth);
    if (auto* error = std::get_if<api::Response>(&body)) return *error;
    auto spec = container_spec_from_json(std::get<nlohmann::json>(body));
    if (!spec) return api::error_response(spec.error());
    return api::json_response(http::status::created, to_json(*spec));
  });
}

// Everything a daemon would share between connections, built once per fuzzing process.
struct World {
  World() {
    logging::set_level(spdlog::level::off);  // an access line per input would dominate the run
    dir = std::filesystem::temp_directory_path() / ("silo-http-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto sqlite = open_metadata_store(StoreOptions{dir / "silo.db", clock});
    if (!sqlite) fail("cannot open the store", sqlite.error().message);
    store = std::make_shared<events::PublishingStore>(std::shared_ptr<MetadataStore>(std::move(*sqlite)), hub);
    seed_events();

    auto router = std::make_shared<api::Router>();
    auto system = std::make_shared<api::SystemContext>();
    system->version = {"0.1.0", "v1", "fuzz", "linux", "x86_64", "fuzz", "Debug"};
    system->host = {"fuzz-host", "Debian", "12", "6.1", 2, 1 << 30};
    system->components = {"0.1.0", "3", "3", "1.81"};
    system->data_root = dir.string();
    system->store = store;
    system->engine = engine;
    api::add_system_routes(*router, system);
    auto events = std::make_shared<api::EventsContext>();
    events->store = store;
    events->hub = hub;
    events->clock = std::shared_ptr<const Clock>(std::shared_ptr<void>(), &clock);
    events->page_size = 2;  // several pages from a few events
    api::add_event_routes(*router, events);
    add_spec_route(*router, fuzz_limits().max_json_depth);
    server = std::make_shared<api::HttpServer>(io.get_executor(), router, fuzz_limits());
  }

  ~World() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  void seed_events() {
    for (const char* action : {"start", "reload", "stop"}) {
      auto written = store->write([&](WriteTxn& txn) -> Result<void> {
        auto event = txn.append_event({"daemon", action, "fuzz-host", {{"name", "fuzz-host"}}});
        if (!event) return event.error();
        return {};
      });
      if (!written) fail("cannot seed events", written.error().message);
    }
  }

  SystemClock clock;
  std::filesystem::path dir;
  boost::asio::io_context io;
  std::shared_ptr<events::EventHub> hub = events::EventHub::create();
  std::shared_ptr<MetadataStore> store;
  std::shared_ptr<engine::Engine> engine = std::make_shared<engine::Engine>();
  std::shared_ptr<api::HttpServer> server;
};

World& world() {
  static World instance;
  return instance;
}

void check_response(const http::response<http::string_body>& response) {
  auto status = response.result_int();
  if (status < 100 || status > 599) fail("status out of range", std::to_string(status));
  if (status < 200) return;  // 100 Continue: no headers of ours
  if (response[http::field::content_type].empty()) fail("no Content-Type", std::to_string(status));
  if (response["X-Request-Id"].empty()) fail("no X-Request-Id", std::to_string(status));
  if (status < 400) return;
  if (response[http::field::content_type] != "application/json") fail("error without JSON type", response.body());
  auto body = nlohmann::json::parse(response.body(), nullptr, false);
  if (!body.is_object() || !body.contains("message") || !body["message"].is_string() || !body.contains("code") ||
      !body["code"].is_string()) {
    fail("error body is not {message, code}", response.body());
  }
}

// What the server wrote must split into complete responses with nothing left over. A response
// without a length (an HTTP/1.0 stream) ends where the connection did.
void check_output(std::string_view output) {
  boost::beast::error_code ec;
  while (!output.empty()) {
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(boost::none);
    std::size_t used = 0;
    while (!parser.is_done()) {
      std::size_t n = 0;
      if (used < output.size()) n = parser.put(boost::asio::buffer(output.data() + used, output.size() - used), ec);
      used += n;
      if (n == 0) {
        parser.put_eof(ec);  // only a body that runs to the end of the connection may end here
        if (ec) fail("truncated response", ec.message() + ": " + std::string(output));
        break;
      }
      if (ec && ec != http::error::need_more) fail("malformed response", ec.message() + ": " + std::string(output));
      ec = {};
    }
    if (!parser.is_done()) fail("incomplete response", std::string(output));
    check_response(parser.get());
    output.remove_prefix(used);
  }
}

}  // namespace
}  // namespace silo::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace silo;
  auto& w = fuzz::world();
  boost::beast::test::stream server_end(w.io);
  boost::beast::test::stream client_end(w.io);
  server_end.connect(client_end);
  server_end.append(std::string_view(reinterpret_cast<const char*>(data), size));
  server_end.close_remote();  // the client sent everything and half-closed

  api::PeerIdentity peer;  // fields set by name so new identity fields need no change here
  peer.transport = "fuzz";
  peer.uid = 0;
  peer.gid = 0;
  peer.pid = 1;
  api::Session<fuzz::FuzzStream>::start(fuzz::FuzzStream(std::move(server_end)), peer, w.server);
  w.io.restart();
  w.io.run();
  if (w.server->open_connections() != 0) fuzz::fail("session still open after its stream ended", "");
  fuzz::check_output(client_end.str());
  return 0;
}
