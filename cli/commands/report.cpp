#include "cli/commands/commands.h"
#include "cli/exit_codes.h"

#include <iostream>

namespace silo::cli {

int report_failure(const client::ClientError& error, const client::Endpoint& endpoint) {
  switch (error.failure) {
    case client::Failure::unreachable:
      std::cerr << "Cannot connect to the silo daemon at " << endpoint.to_string() << ": " << error.error.message;
      // The hint fits a daemon that is down, not a transport this platform lacks.
      std::cerr << (error.error.code == Errc::unavailable ? ". Is silod running?\n" : "\n");
      return kExitUnreachable;
    case client::Failure::daemon:
      std::cerr << "Error response from daemon: " << error.error.message << "\n";
      return kExitDaemonRefused;
    case client::Failure::protocol:
      std::cerr << "Error: the daemon at " << endpoint.to_string()
                << " gave an answer siloctl does not understand: " << error.error.message << "\n";
      return kExitDaemonRefused;
  }
  return kExitDaemonRefused;
}

}  // namespace silo::cli
