#include "core/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <mutex>

namespace silo::logging {
namespace {

// Guards the sinks that new loggers receive; spdlog's registry guards the loggers themselves.
std::mutex g_mutex;
std::vector<spdlog::sink_ptr>& current_sinks() {
  static std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_color_sink_mt>()};
  return sinks;
}

constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ [%n] %v";

// UTC timestamps, so log lines from hosts in different zones sort and compare directly.
void apply_format(spdlog::sinks::sink& sink) {
  sink.set_formatter(std::make_unique<spdlog::pattern_formatter>(kPattern, spdlog::pattern_time_type::utc));
}

}  // namespace

void configure(const Options& options) {
  std::lock_guard lock(g_mutex);
  auto& sinks = current_sinks();
  sinks = options.sinks.empty()
              ? std::vector<spdlog::sink_ptr>{std::make_shared<spdlog::sinks::stderr_color_sink_mt>()}
              : options.sinks;
  for (auto& sink : sinks) apply_format(*sink);
  spdlog::set_level(options.level);
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) {
    logger->sinks() = sinks;
    logger->set_level(options.level);
  });
}

std::shared_ptr<spdlog::logger> get(std::string_view component) {
  std::string name(component);
  if (auto existing = spdlog::get(name)) return existing;
  std::lock_guard lock(g_mutex);
  if (auto existing = spdlog::get(name)) return existing;
  auto& sinks = current_sinks();
  for (auto& sink : sinks) apply_format(*sink);
  auto logger = std::make_shared<spdlog::logger>(name, sinks.begin(), sinks.end());
  logger->set_level(spdlog::get_level());
  logger->flush_on(spdlog::level::warn);
  spdlog::register_logger(logger);
  return logger;
}

void set_level(spdlog::level::level_enum level) {
  spdlog::set_level(level);  // applies to every registered logger
}

Result<spdlog::level::level_enum> parse_level(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 7> kLevels{{
      {"trace", spdlog::level::trace},
      {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},
      {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},
      {"critical", spdlog::level::critical},
      {"off", spdlog::level::off},
  }};
  for (const auto& [name, level] : kLevels) {
    if (name == text) return level;
  }
  return make_error(Errc::invalid_argument,
                    "log level \"" + std::string(text) +
                        "\" is not one of trace, debug, info, warn, error, critical, off");
}

}  // namespace silo::logging
