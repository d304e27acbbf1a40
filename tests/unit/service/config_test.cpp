#include "service/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace silo::service {
namespace {

using namespace std::chrono_literals;

std::string write_config(const std::string& text) {
  std::random_device random;
  auto path = std::filesystem::temp_directory_path() / ("silod-config-" + std::to_string(random()) + ".json");
  std::ofstream(path) << text;
  return path.string();
}

TEST(Config, DefaultsAreTheDocumentedPaths) {
  auto invocation = parse_invocation({});
  ASSERT_TRUE(invocation) << invocation.error().message;
  EXPECT_EQ(invocation->config.hosts, std::vector<std::string>{"unix:///run/silo/silod.sock"});
  EXPECT_EQ(invocation->config.data_root, "/var/lib/silo");
  EXPECT_EQ(invocation->config.limits.max_body_bytes, 1024u * 1024u);
}

TEST(Config, FileSetsKeysAndFlagsOverrideThem) {
  auto path = write_config(R"({"hosts":["unix:///tmp/a.sock","unix:///tmp/b.sock"],"data-root":"/tmp/file-root",
                               "log-level":"debug","max-connections":7,"header-timeout":0.25,"group":"users"})");
  auto invocation = parse_invocation({"--config", path, "--data-root=/tmp/flag-root", "-H", "unix:///tmp/c.sock",
                                      "--max-connections", "9"});
  std::filesystem::remove(path);
  ASSERT_TRUE(invocation) << invocation.error().message;
  const auto& config = invocation->config;
  EXPECT_EQ(config.data_root, "/tmp/flag-root");
  EXPECT_EQ(config.hosts, std::vector<std::string>{"unix:///tmp/c.sock"});  // flags replace the list
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.group, "users");
  EXPECT_EQ(config.limits.max_connections, 9u);
  EXPECT_EQ(config.limits.header_timeout, 250ms);
  EXPECT_FALSE(invocation->log_level_from_flag);
}

TEST(Config, RepeatedHostFlagsAddUp) {
  auto invocation = parse_invocation({"--host", "unix:///tmp/a.sock", "--host=unix:///tmp/b.sock"});
  ASSERT_TRUE(invocation);
  EXPECT_EQ(invocation->config.hosts.size(), 2u);
}

TEST(Config, UnknownKeyIsRejectedByName) {
  auto path = write_config(R"({"data-root":"/tmp/x","debugg":true})");
  auto invocation = parse_invocation({"--config", path});
  std::filesystem::remove(path);
  ASSERT_FALSE(invocation);
  EXPECT_NE(invocation.error().message.find("unknown key \"debugg\""), std::string::npos) << invocation.error().message;
}

TEST(Config, WrongTypesNameTheKeyAndWhatItMustBe) {
  for (std::string text : {R"({"max-connections":"many"})", R"({"hosts":"unix:///x"})", R"({"idle-timeout":-1})",
                           R"({"log-level":3})", R"([1,2])", "{not json"}) {
    auto path = write_config(text);
    auto invocation = parse_invocation({"--config", path});
    std::filesystem::remove(path);
    ASSERT_FALSE(invocation) << text;
    EXPECT_NE(invocation.error().message.find(path), std::string::npos) << invocation.error().message;
  }
}

TEST(Config, LayerLimitsComeFromTheFileAndFlagsAndAreBounded) {
  auto defaults = parse_invocation({});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->config.layer_limits.max_stream_bytes, 16ULL << 30);
  auto path = write_config(R"({"layer-max-bytes":1000000,"layer-max-entries":50})");
  auto invocation = parse_invocation({"--config", path, "--layer-max-entries", "60", "--layer-max-file-bytes=4096"});
  std::filesystem::remove(path);
  ASSERT_TRUE(invocation) << invocation.error().message;
  EXPECT_EQ(invocation->config.layer_limits.max_stream_bytes, 1000000u);
  EXPECT_EQ(invocation->config.layer_limits.max_entries, 60u);
  EXPECT_EQ(invocation->config.layer_limits.max_file_bytes, 4096u);
  for (std::string bad : {"0", "1.5", "12k", "2251799813685248"}) {
    auto refused = parse_invocation({"--layer-max-bytes", bad});
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().message.find("--layer-max-bytes \"" + bad + "\""), std::string::npos) << refused.error().message;
  }
}

TEST(Config, BadFlagsAreRejectedClearly) {
  EXPECT_NE(parse_invocation({"--bogus"}).error().message.find("unknown flag --bogus"), std::string::npos);
  EXPECT_NE(parse_invocation({"--data-root"}).error().message.find("needs a value"), std::string::npos);
  EXPECT_NE(parse_invocation({"--max-body-bytes", "12x"}).error().message.find("--max-body-bytes"), std::string::npos);
  EXPECT_NE(parse_invocation({"--log-level", "loud"}).error().message.find("loud"), std::string::npos);
  EXPECT_NE(parse_invocation({"--data-root", "relative"}).error().message.find("absolute"), std::string::npos);
  EXPECT_NE(parse_invocation({"--config", "/nonexistent/silod.json"}).error().message.find("/nonexistent/silod.json"),
            std::string::npos);
}

TEST(Config, HelpAndVersionNeedNothingElse) {
  EXPECT_EQ(parse_invocation({"--help"})->action, Action::help);
  EXPECT_EQ(parse_invocation({"-v"})->action, Action::version);
  auto usage = usage_text();
  for (auto word : {"--host", "--data-root", "--config", "--log-level", "--group", "--max-json-depth", "--shutdown-timeout"}) {
    EXPECT_NE(usage.find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace silo::service
