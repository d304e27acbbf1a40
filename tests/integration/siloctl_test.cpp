// siloctl against the real daemon: table and json output, and the exit codes scripts rely on
// (0 success, 1 the daemon refused, 2 usage error, 125 no daemon there).
#include "tests/integration/support/fixture.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>

namespace silo::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class Siloctl : public DaemonTest {};

TEST_F(Siloctl, VersionTableShowsClientAndServer) {
  const auto run = siloctl_here({"version"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, StartsWith("Client:\n Version:"));
  EXPECT_THAT(run.out, HasSubstr("\nServer:\n"));
  // Values line up in one column within a section, as docker prints them.
  EXPECT_TRUE(std::regex_search(run.out, std::regex("\n Version: +0\\.1\\.0\n API version: +v1\n Git commit: ")))
      << run.out;
  EXPECT_THAT(run.out, HasSubstr(" OS/Arch:        linux/"));
}

TEST_F(Siloctl, VersionJsonIsTheDaemonsVersionDocument) {
  const auto run = siloctl_here({"version", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  expect_contract({"GET", "/v1/version", 200, "application/json", {}, run.out});
  EXPECT_EQ(json::parse(run.out), json::parse(curl("GET", "/v1/version").response.body));
}

TEST_F(Siloctl, InfoTableShowsIsolationModesAndDataRoot) {
  const auto run = siloctl_here({"info"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("\n hyperv:      unavailable: "));
  // process (runc) and hostprocess depend on this host: the table says what /v1/info says.
  const auto info = json::parse(curl("GET", "/v1/info").response.body);
  const auto& process = info["isolation"]["process"];
  EXPECT_THAT(run.out, HasSubstr(process["available"].get<bool>()
                                     ? std::string("Isolation:\n process:     available\n")
                                     : "Isolation:\n process:     unavailable: " + process["reason"].get<std::string>()));
  const auto& hostprocess = info["isolation"]["hostprocess"];
  EXPECT_THAT(run.out, HasSubstr(hostprocess["available"].get<bool>()
                                     ? std::string("\n hostprocess: available\n")
                                     : "\n hostprocess: unavailable: " + hostprocess["reason"].get<std::string>()));
  EXPECT_TRUE(std::regex_search(run.out, std::regex("^Containers: +0\n Running: +0\n"))) << run.out;
  EXPECT_THAT(run.out, HasSubstr(silod().data_root()));
}

TEST_F(Siloctl, InfoJsonMatchesTheContract) {
  // --format before or after the command works the same.
  const auto run = siloctl({"--format", "json", "--host", silod().host(), "info"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  expect_contract({"GET", "/v1/info", 200, "application/json", {}, run.out});
}

TEST_F(Siloctl, DaemonRefusalExits1WithItsMessage) {
  const auto run = siloctl_here({"events", "--since", "yesterday"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, StartsWith("Error response from daemon: "));
  EXPECT_THAT(run.err, HasSubstr("since"));
}

// -v SOURCE:TARGET[:ro|:rw] as docker reads it, Windows drive letters included: the colon after a
// drive letter is part of the path.
TEST_F(Siloctl, MountFlagsBecomeTheSpecsMounts) {
  const auto run = siloctl_here({"create", "--isolation", "hostprocess", "-v", scratch() + ":/data:ro", "-v",
                                 scratch() + ":/rw", "--", "true"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string id = run.out.substr(0, run.out.find('\n'));  // create prints the new id
  auto inspected = nlohmann::json::parse(curl("GET", "/v1/containers/" + id).response.body, nullptr, false);
  EXPECT_EQ(inspected["spec"]["mounts"],
            nlohmann::json::parse(R"([{"source":")" + scratch() + R"(","target":"/data","readOnly":true},)" +
                                  R"({"source":")" + scratch() + R"(","target":"/rw","readOnly":false}])"));
  for (const char* bad : {"/a:/b:rx", ":/b", "/a:", "C:\\data"}) {
    const auto refused = siloctl_here({"create", "-v", bad, "--", "true"});
    EXPECT_EQ(refused.exit_code, 1) << bad;
    EXPECT_THAT(refused.err, HasSubstr("bad --mount \"" + std::string(bad) + "\": expected SOURCE:TARGET[:ro|:rw]"));
  }
}

TEST_F(Siloctl, UnknownFilterKeyIsRefusedByTheDaemon) {
  const auto run = siloctl_here({"events", "--filter", "color=red"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("color"));
}

TEST_F(Siloctl, UsageErrorsExit2WithAHint) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"frobnicate"}, {"info", "--bogus"},
                                               {"--format", "yaml", "info"}, {"events", "--filter", "novalue"},
                                               {}}) {
    const auto run = siloctl_here(args);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_THAT(run.err, HasSubstr("--help'.")) << run.err;
  }
}

TEST_F(Siloctl, NothingListeningOnTheSocketExits125) {
  const std::string host = "unix://" + scratch() + "/nobody.sock";
  const auto run = siloctl({"--host", host, "info"});
  EXPECT_EQ(run.exit_code, 125);
  EXPECT_THAT(run.err, StartsWith("Cannot connect to the silo daemon at " + host + ": "));
  EXPECT_THAT(run.err, HasSubstr("Is silod running?"));
}

TEST_F(Siloctl, ClosedLoopbackPortExits125) {
  // A socket bound but not listening holds the port, so the connection is refused, not raced.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string host = "tcp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  const auto run = siloctl({"--host", host, "version"});
  ::close(fd);
  EXPECT_EQ(run.exit_code, 125);
  EXPECT_THAT(run.err, StartsWith("Cannot connect to the silo daemon at " + host + ": "));
}

TEST_F(Siloctl, SiloHostEnvironmentVariableIsUsed) {
  const auto run = siloctl({"version", "--format", "json"}, {{{"SILO_HOST", silod().host()}}, {}});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const std::string nowhere = "unix://" + scratch() + "/elsewhere.sock";
  const auto elsewhere = siloctl({"info"}, {{{"SILO_HOST", nowhere}}, {}});
  EXPECT_EQ(elsewhere.exit_code, 125);
  EXPECT_THAT(elsewhere.err, HasSubstr(nowhere));
}

TEST_F(Siloctl, HostFlagWinsOverSiloHost) {
  const std::string nowhere = "unix://" + scratch() + "/elsewhere.sock";
  const auto run = siloctl({"--host", silod().host(), "info"}, {{{"SILO_HOST", nowhere}}, {}});
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

TEST_F(Siloctl, VersionFlagAndHelpNeedNoDaemon) {
  const auto version = siloctl({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, "siloctl version 0.1.0\n");
  const auto help = siloctl({"events", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--since"));
  EXPECT_THAT(help.out, HasSubstr("--follow"));
}

}  // namespace
}  // namespace silo::testing
