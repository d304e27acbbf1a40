#include "tests/integration/support/contract.h"

#include <nlohmann/json.hpp>

#include <poll.h>
#include <strings.h>
#include <unistd.h>

#include <array>
#include <filesystem>

namespace silo::testing {
namespace {

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

std::string header_value(const ObservedResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (::strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  }
  return {};
}

std::optional<ContractValidator> ContractValidator::start(std::string* why) {
  const std::filesystem::path dir = SILO_CONTRACT_DIR;
  if (std::string(SILO_NODE_EXECUTABLE).empty()) {
    *why = "node is not installed (scripts/install-npm-deps.sh installs it)";
    return std::nullopt;
  }
  if (!std::filesystem::exists(dir / "node_modules" / "ajv")) {
    *why = "the contract test packages are not installed: run scripts/install-npm-deps.sh";
    return std::nullopt;
  }
  ChildProcess::Options options;
  options.argv = {SILO_NODE_EXECUTABLE, (dir / "validate-responses.mjs").string(), SILO_OPENAPI_YAML};
  options.pipe_stdin = true;
  options.pipe_stdout = true;
  auto child = ChildProcess::spawn(options, why);
  if (!child) return std::nullopt;
  return ContractValidator(std::move(*child));
}

std::vector<std::string> ContractValidator::check(const ObservedResponse& response) {
  nlohmann::json request{{"method", response.method},
                         {"path", response.path},
                         {"status", response.status},
                         {"contentType", response.content_type},
                         {"body", response.body}};
  if (!response.headers.empty()) {
    nlohmann::json headers = nlohmann::json::object();
    for (const auto& [name, value] : response.headers) headers[name] = value;
    request["headers"] = headers;
  }
  if (!write_all(child_.stdin_fd(), request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n")) {
    return {"the validator process is gone"};
  }
  // One answer line per request; the validator answers in milliseconds, 30 s bounds a hang.
  for (int waited = 0; pending_.find('\n') == std::string::npos; ++waited) {
    pollfd p{child_.stdout_fd(), POLLIN, 0};
    if (waited >= 300 || ::poll(&p, 1, 100) < 0) return {"the validator did not answer"};
    if (p.revents == 0) continue;
    std::array<char, 4096> buf{};
    const ssize_t n = ::read(child_.stdout_fd(), buf.data(), buf.size());
    if (n <= 0) return {"the validator closed its output"};
    pending_.append(buf.data(), static_cast<std::size_t>(n));
  }
  const std::string line = pending_.substr(0, pending_.find('\n'));
  pending_.erase(0, line.size() + 1);
  const auto answer = nlohmann::json::parse(line, nullptr, false);
  if (!answer.is_object() || !answer.contains("ok")) return {"the validator answered: " + line};
  if (answer["ok"].get<bool>()) return {};
  std::vector<std::string> errors;
  for (const auto& e : answer["errors"]) errors.push_back(e.get<std::string>());
  return errors;
}

}  // namespace silo::testing
