// A tiny daemon for the named-pipe tests under Wine: an HttpServer with a small router on a
// NamedPipeListener with a unique pipe name, on two io threads, for the length of a test.
// Routes: GET /v1/version, GET /whoami (the PeerIdentity the transport vouched for, as JSON),
// POST /echo (the body back).
#pragma once

#include "api/http/server.h"
#include "api/transport/windows/named_pipe_listener.h"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace silo::test {

// "\\.\pipe\silo-test-<pid>-<n>": unique in this process and across concurrently running tests.
std::string unique_pipe_path();

std::shared_ptr<api::Router> tiny_router(std::string version);

class PipeTestServer {
 public:
  explicit PipeTestServer(std::vector<std::string> groups = {}, api::Limits limits = {});
  ~PipeTestServer();

  const std::string& path() const { return path_; }
  std::string host() const;  // npipe:////./pipe/NAME
  api::HttpServer& server() { return *server_; }
  api::windows::NamedPipeListener& listener() { return *listener_; }
  // Graceful shutdown; true when every session ended within the deadline.
  bool shutdown(std::chrono::milliseconds deadline = std::chrono::seconds(10));

 private:
  std::string path_;
  boost::asio::io_context io_;
  std::shared_ptr<api::HttpServer> server_;
  std::shared_ptr<api::windows::NamedPipeListener> listener_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

}  // namespace silo::test
