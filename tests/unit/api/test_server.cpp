#include "test_server.h"

#include <boost/asio/executor_work_guard.hpp>

#include <future>
#include <random>
#include <stdexcept>

namespace silo::test {

std::filesystem::path make_temp_dir() {
  std::random_device random;
  auto dir = std::filesystem::temp_directory_path() / ("silo-api-test-" + std::to_string(random()));
  std::filesystem::create_directories(dir);
  return dir;
}

TestServer::TestServer(std::shared_ptr<api::Router> router, api::Limits limits)
    : dir_(make_temp_dir()), socket_path_((dir_ / "s.sock").string()) {
  server_ = std::make_shared<api::HttpServer>(io_.get_executor(), std::move(router), limits);
  auto listener = api::UnixListener::open(io_.get_executor(), {socket_path_, "", 0660});
  if (!listener) throw std::runtime_error(listener.error().message);
  listener_ = *listener;
  server_->add_listener(listener_);
  listener_->start(server_);
  for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
}

bool TestServer::shutdown(std::chrono::milliseconds deadline) {
  if (stopped_) return true;
  stopped_ = true;
  auto done = std::make_shared<std::promise<void>>();
  server_->shutdown([done] { done->set_value(); });
  return done->get_future().wait_for(deadline) == std::future_status::ready;
}

TestServer::~TestServer() {
  shutdown();
  work_.reset();
  io_.stop();
  for (auto& thread : threads_) thread.join();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace silo::test
