#include "tests/windows/pipe_test_server.h"

#include <nlohmann/json.hpp>
#include <windows.h>

#include <atomic>
#include <future>
#include <stdexcept>

namespace silo::test {

std::string unique_pipe_path() {
  static std::atomic<int> counter{0};
  return "\\\\.\\pipe\\silo-test-" + std::to_string(GetCurrentProcessId()) + "-" + std::to_string(++counter);
}

std::shared_ptr<api::Router> tiny_router(std::string version) {
  auto router = std::make_shared<api::Router>();
  router->add_plain(api::http::verb::get, "/v1/version", [version](const api::Request&) {
    return api::Response{api::http::status::ok, "application/json", nlohmann::json{{"version", version}}.dump(), {}};
  });
  router->add_plain(api::http::verb::get, "/whoami", [](const api::Request& request) {
    nlohmann::json peer{{"transport", request.peer.transport},
                        {"windows_admin", request.peer.windows_admin},
                        {"windows_account", request.peer.windows_account},
                        {"pid", request.peer.pid ? *request.peer.pid : -1}};
    return api::Response{api::http::status::ok, "application/json", peer.dump(), {}};
  });
  router->add_plain(api::http::verb::post, "/echo", [](const api::Request& request) {
    return api::Response{api::http::status::ok, "text/plain", request.body, {}};
  });
  return router;
}

PipeTestServer::PipeTestServer(std::vector<std::string> groups, api::Limits limits) : path_(unique_pipe_path()) {
  server_ = std::make_shared<api::HttpServer>(io_.get_executor(), tiny_router("test"), limits);
  auto listener = api::windows::NamedPipeListener::open(io_.get_executor(), {path_, std::move(groups)});
  if (!listener) throw std::runtime_error(listener.error().message);
  listener_ = *listener;
  server_->add_listener(listener_);
  listener_->start(server_);
  for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
}

std::string PipeTestServer::host() const { return listener_->address(); }

bool PipeTestServer::shutdown(std::chrono::milliseconds deadline) {
  if (stopped_) return true;
  stopped_ = true;
  auto done = std::make_shared<std::promise<void>>();
  server_->shutdown([done] { done->set_value(); });
  return done->get_future().wait_for(deadline) == std::future_status::ready;
}

PipeTestServer::~PipeTestServer() {
  shutdown();
  io_.stop();
  for (auto& thread : threads_) thread.join();
}

}  // namespace silo::test
