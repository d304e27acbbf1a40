// The base of every integration test: a real silod on a temporary socket and data root, the
// contract validator, and the three real clients (curl, siloctl, the client library). Every
// response a test gets through curl() or raw() is checked against openapi.yaml.
#pragma once

#include "api/client/client.h"
#include "tests/integration/support/contract.h"
#include "tests/integration/support/curl.h"
#include "tests/integration/support/daemon.h"
#include "tests/integration/support/process.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace silo::testing {

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Flags a test adds to silod's command line.
  virtual std::vector<std::string> silod_args() const { return {}; }

  // curl over the daemon's socket.
  CurlResult curl(const std::string& method, const std::string& path, const std::vector<std::string>& extra = {});
  // The client library's raw request.
  ObservedResponse raw(const std::string& method, const std::string& target);
  // siloctl with the given arguments; SILO_HOST is removed from its environment unless env sets it.
  ProcessResult siloctl(const std::vector<std::string>& args, Environment env = {});
  // siloctl --host <this daemon> <args>.
  ProcessResult siloctl_here(std::vector<std::string> args);

  client::Client client() const;
  static client::Client client_at(const std::string& host);

  // Checks a response against openapi.yaml and reports each mismatch as a test failure.
  void expect_contract(const ObservedResponse& response);

  // "now" and "now + seconds" in RFC 3339, for since/until.
  static std::string rfc3339_from_now(int seconds);

  const Silod& silod() const { return *silod_; }
  Silod& silod_process() { return *silod_; }  // to kill and restart it
  const std::string& scratch() const { return dir_->path(); }

 private:
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<Silod> silod_;
  std::optional<ContractValidator> validator_;
  bool started_ = false;
};

}  // namespace silo::testing
