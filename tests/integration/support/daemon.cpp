#include "tests/integration/support/daemon.h"

#include "api/client/client.h"

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace silo::testing {

TempDir::TempDir() {
  // Short and under /tmp: a unix socket path must fit in 108 bytes.
  std::string pattern = "/tmp/silo-it-XXXXXX";
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

Silod::Silod(const std::string& dir)
    : data_root_(dir + "/data"), socket_path_(dir + "/silod.sock"), log_path_(dir + "/silod.log") {}

bool Silod::start(std::string* why) {
  ChildProcess::Options options;
  options.argv = {SILOD_EXECUTABLE, "--data-root", data_root_, "--host", host(), "--log-level", "debug"};
  options.argv.insert(options.argv.end(), extra_args.begin(), extra_args.end());
  options.output_file = log_path_;
  auto spawned = ChildProcess::spawn(options, why);
  if (!spawned) return false;
  process_.emplace(std::move(*spawned));

  client::ClientOptions client_options;
  client_options.endpoint.path = socket_path_;
  client_options.timeouts.connect = std::chrono::milliseconds(1000);
  client_options.timeouts.io = std::chrono::milliseconds(5000);
  const client::Client client(client_options);
  // Up to 30 s (600 x 50 ms) for the daemon to open its database and listen.
  for (int attempt = 0; attempt < 600; ++attempt) {
    if (!process_->running()) {
      *why = "silod exited during startup; its log:\n" + log();
      return false;
    }
    if (client.ping()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  *why = "silod did not answer /_ping within 30 s; its log:\n" + log();
  return false;
}

std::optional<int> Silod::stop() {
  if (!process_) return std::nullopt;
  // The daemon gives in-flight requests a grace period (10 s by default) before it exits.
  return process_->stop(SIGTERM, std::chrono::seconds(20));
}

bool Silod::kill_hard() {
  if (!process_) return false;
  auto code = process_->stop(SIGKILL, std::chrono::seconds(10));
  process_.reset();
  return code.has_value();
}

std::string Silod::log() const {
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void Silod::signal(int sig) {
  if (process_) ::kill(process_->pid(), sig);
}

}  // namespace silo::testing
