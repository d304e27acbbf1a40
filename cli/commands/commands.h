// One function per siloctl command. Each returns the process exit code (exit_codes.h).
#pragma once

#include "api/client/client.h"
#include "cli/args.h"

namespace silo::cli {

struct Context {
  const Args& args;
  const client::Client& client;
};

int run_version(const Context& ctx);
int run_info(const Context& ctx);
int run_events(const Context& ctx);

// Prints a failed request the way a user can act on it and returns the matching exit code.
int report_failure(const client::ClientError& error, const client::Endpoint& endpoint);

}  // namespace silo::cli
