// silod: parse the configuration, build the daemon, serve until a stop signal. A startup failure
// prints one line saying what is wrong and exits 1.
#include "core/logging.h"
#include "service/composition_root.h"
#include "service/config.h"
#include "service/tls/tls_init.h"

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  using namespace silo;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "tls") return service::tls::run_tls_command(args);
  auto parsed = service::parse_or_answer(args);
  if (auto* code = std::get_if<int>(&parsed)) return *code;
  auto invocation = &std::get<service::Invocation>(parsed);
  logging::configure({*logging::parse_level(invocation->config.log_level), {}});
  auto daemon = service::Daemon::create(*invocation);
  if (!daemon) {
    std::fprintf(stderr, "silod: %s\n", daemon.error().message.c_str());
    return 1;
  }
  return (*daemon)->run(/*handle_signals=*/true);
}
