// Logging setup: spdlog with one named logger per component ("api", "storage", "engine", ...), all
// writing through the same sinks so that a level change or a new sink applies everywhere at once.
// spdlog keeps its loggers in its own registry; that registry is the only process-wide logging
// state, and it is configured here and nowhere else.
#pragma once

#include "core/errors.h"

#include <spdlog/logger.h>

#include <memory>
#include <string_view>
#include <vector>

namespace silo::logging {

struct Options {
  spdlog::level::level_enum level = spdlog::level::info;
  // Sinks for every logger; empty means one coloured sink on stderr.
  std::vector<spdlog::sink_ptr> sinks;
};

// Replaces the sinks and level of every existing logger and of the ones created later.
void configure(const Options& options);

// The logger for a component, created on first use with the configured sinks and level.
std::shared_ptr<spdlog::logger> get(std::string_view component);

void set_level(spdlog::level::level_enum level);

// "trace", "debug", "info", "warn", "error", "critical", "off".
Result<spdlog::level::level_enum> parse_level(std::string_view text);

}  // namespace silo::logging
