// Runs an HttpServer with a given Router on a unix socket in a fresh temporary directory, on two
// io threads, for the length of a test.
#pragma once

#include "api/http/server.h"
#include "api/transport/unix_listener.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace silo::test {

std::filesystem::path make_temp_dir();

class TestServer {
 public:
  TestServer(std::shared_ptr<api::Router> router, api::Limits limits);
  ~TestServer();

  const std::string& socket_path() const { return socket_path_; }
  api::HttpServer& server() { return *server_; }
  // Graceful shutdown; true when every session ended within the deadline.
  bool shutdown(std::chrono::milliseconds deadline = std::chrono::seconds(10));

 private:
  std::filesystem::path dir_;
  std::string socket_path_;
  boost::asio::io_context io_;
  // Keeps the io threads running while nothing is pending: otherwise, once shutdown() has closed
  // the listener, the threads may leave run() before the server posts its done callback, and the
  // shutdown waits for nothing (UnixListener.ClosingRemovesItsSocketFile failed 1 run in 20 so).
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::shared_ptr<api::HttpServer> server_;
  std::shared_ptr<api::UnixListener> listener_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

}  // namespace silo::test
