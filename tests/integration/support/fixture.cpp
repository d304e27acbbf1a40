#include "tests/integration/support/fixture.h"

#include "core/clock.h"

#include <csignal>

namespace silo::testing {

void DaemonTest::SetUp() {
  std::string why;
  auto validator = ContractValidator::start(&why);
  if (!validator) GTEST_SKIP() << "cannot check responses against openapi.yaml: " << why;
  validator_.emplace(std::move(*validator));
  dir_ = std::make_unique<TempDir>();
  ASSERT_FALSE(dir_->path().empty()) << "mkdtemp failed";
  silod_ = std::make_unique<Silod>(dir_->path());
  silod_->extra_args = silod_args();
  started_ = silod_->start(&why);
  ASSERT_TRUE(started_) << why;
}

void DaemonTest::TearDown() {
  if (!silod_ || !started_) return;
  const auto code = silod_->stop();
  ASSERT_TRUE(code.has_value()) << "silod did not exit within 20 s of SIGTERM; its log:\n" << silod_->log();
  EXPECT_EQ(*code, 0) << "silod's exit code after SIGTERM; its log:\n" << silod_->log();
  if (HasFailure()) std::cerr << "silod's log:\n" << silod_->log();
}

CurlResult DaemonTest::curl(const std::string& method, const std::string& path, const std::vector<std::string>& extra) {
  auto result = curl_unix(silod_->socket_path(), method, path, extra, dir_->path());
  EXPECT_EQ(result.exit_code, 0) << "curl failed: " << result.error;
  if (result.exit_code == 0) expect_contract(result.response);
  return result;
}

ObservedResponse DaemonTest::raw(const std::string& method, const std::string& target) {
  client::HttpRequest request;
  request.method = method;
  request.target = target;
  auto answer = client().request(request);
  ObservedResponse observed;
  observed.method = method;
  observed.path = target;
  if (!answer) {
    ADD_FAILURE() << "request " << method << " " << target << " failed: " << answer.error().error.message;
    return observed;
  }
  observed.status = answer->head.status;
  observed.content_type = answer->head.header("Content-Type");
  observed.headers = answer->head.headers;
  observed.body = answer->body;
  expect_contract(observed);
  return observed;
}

ProcessResult DaemonTest::siloctl(const std::vector<std::string>& args, Environment env) {
  if (!env.set.contains("SILO_HOST")) env.unset.push_back("SILO_HOST");
  std::vector<std::string> argv = {SILOCTL_EXECUTABLE};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env);
}

ProcessResult DaemonTest::siloctl_here(std::vector<std::string> args) {
  args.insert(args.begin(), {"--host", silod_->host()});
  return siloctl(args);
}

client::Client DaemonTest::client() const { return client_at(silod_->host()); }

client::Client DaemonTest::client_at(const std::string& host) {
  client::ClientOptions options;
  options.endpoint = client::parse_host(host).value();
  return client::Client(options);
}

void DaemonTest::expect_contract(const ObservedResponse& response) {
  for (const auto& problem : validator_->check(response)) {
    ADD_FAILURE() << response.method << " " << response.path << " -> " << response.status
                  << " does not match openapi.yaml: " << problem << "\nbody: " << response.body.substr(0, 2000);
  }
}

std::string DaemonTest::rfc3339_from_now(int seconds) {
  return format_rfc3339(SystemClock().now() + static_cast<TimeNs>(seconds) * 1'000'000'000);
}

}  // namespace silo::testing
