#include "core/logging.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

namespace silo::logging {
namespace {

TEST(Logging, ComponentLoggersShareConfiguredSinksAndLevel) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  configure(Options{spdlog::level::info, {sink}});

  get("storage")->info("opened {}", "meta.db");
  get("api")->debug("hidden at info level");
  EXPECT_NE(out.str().find("info [storage] opened meta.db"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("hidden"), std::string::npos);

  set_level(spdlog::level::debug);
  get("api")->debug("now visible");
  EXPECT_NE(out.str().find("debug [api] now visible"), std::string::npos) << out.str();
  configure(Options{});
}

TEST(Logging, ParsesLevelsAndRejectsUnknownOnes) {
  EXPECT_EQ(parse_level("warn").value(), spdlog::level::warn);
  EXPECT_EQ(parse_level("error").value(), spdlog::level::err);
  auto bad = parse_level("verbose");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("\"verbose\" is not one of trace, debug"), std::string::npos);
}

}  // namespace
}  // namespace silo::logging
