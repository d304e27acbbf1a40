// siloctl's container, exec and sandbox commands (docker's habits), and what they share.
#pragma once

#include "api/client/resources.h"
#include "cli/commands/commands.h"
#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace silo::cli {

int run_container_command(const Context& ctx);  // dispatches on ctx.args.command
int run_sandbox_command(const Context& ctx);

// "64m" -> 67108864; nullopt when malformed.
std::optional<std::int64_t> parse_memory(const std::string& text);
// create/run flags -> POST /v1/containers body; invalid_argument names the flag.
Result<nlohmann::json> spec_from_flags(const ContainerArgs& args);
// One -v flag as a spec's mount object (public for tests).
Result<nlohmann::json> mount_from_flag(const std::string& text);

// "5 seconds ago"-style durations and docker's STATUS column ("Up 3 minutes", "Exited (3) 5 seconds ago").
std::string human_duration(std::int64_t seconds);
std::string status_text(const nlohmann::json& container, std::int64_t now_ns);
int print_ps(const Context& ctx, const nlohmann::json& containers);

}  // namespace silo::cli
