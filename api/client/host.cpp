#include "api/client/host.h"

#include <charconv>
#include <cstdlib>

namespace silo::client {
namespace {

constexpr std::string_view kUnixScheme = "unix://";
constexpr std::string_view kTcpScheme = "tcp://";
constexpr std::string_view kPipeScheme = "npipe://";

Error bad_host(std::string_view text, std::string_view why) {
  return make_error(Errc::invalid_argument,
                    "invalid host \"" + std::string(text) + "\": " + std::string(why) +
                        " (expected unix:///path, tcp://HOST:PORT or npipe:////./pipe/NAME)");
}

Result<Endpoint> parse_tcp(std::string_view text, std::string_view rest) {
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return bad_host(text, "tcp needs HOST:PORT");
  std::string_view host = rest.substr(0, colon);
  const std::string_view port_text = rest.substr(colon + 1);
  // [::1]:2375: brackets delimit an IPv6 literal and are not part of the address.
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    return bad_host(text, "port must be a number from 1 to 65535");
  }
  Endpoint e;
  e.transport = Transport::tcp;
  e.hostname = std::string(host);
  e.port = static_cast<std::uint16_t>(port);
  return e;
}

Result<Endpoint> parse_pipe(std::string_view text, std::string_view rest) {
  // npipe:////./pipe/NAME: the path after the scheme is //./pipe/NAME, Windows' \\.\pipe\NAME.
  constexpr std::string_view kPrefix = "//./pipe/";
  if (!rest.starts_with(kPrefix) || rest.size() == kPrefix.size()) {
    return bad_host(text, "a named pipe is npipe:////./pipe/NAME");
  }
  Endpoint e;
  e.transport = Transport::named_pipe;
  e.path = "\\\\.\\pipe\\" + std::string(rest.substr(kPrefix.size()));
  return e;
}

}  // namespace

std::string Endpoint::to_string() const {
  switch (transport) {
    case Transport::unix_socket:
      return std::string(kUnixScheme) + path;
    case Transport::tcp:
      return std::string(kTcpScheme) + (hostname.find(':') != std::string::npos ? "[" + hostname + "]" : hostname) +
             ":" + std::to_string(port);
    case Transport::named_pipe:
      return std::string(kPipeScheme) + "//./pipe/" + path.substr(std::string_view("\\\\.\\pipe\\").size());
  }
  return path;
}

Result<Endpoint> parse_host(std::string_view text) {
  if (text.starts_with(kUnixScheme)) {
    const std::string_view path = text.substr(kUnixScheme.size());
    if (path.empty() || path.front() != '/') return bad_host(text, "a unix socket path must be absolute");
    Endpoint e;
    e.transport = Transport::unix_socket;
    e.path = std::string(path);
    return e;
  }
  if (text.starts_with(kTcpScheme)) return parse_tcp(text, text.substr(kTcpScheme.size()));
  if (text.starts_with(kPipeScheme)) return parse_pipe(text, text.substr(kPipeScheme.size()));
  return bad_host(text, "unknown scheme");
}

Result<Endpoint> resolve_host(const std::optional<std::string>& flag) {
  if (flag) return parse_host(*flag);
  // getenv is read once at startup by a single thread; nothing in silo sets the environment.
  const char* env = std::getenv(std::string(kHostEnvVar).c_str());  // NOLINT(concurrency-mt-unsafe)
  if (env != nullptr && *env != '\0') return parse_host(env);
  return parse_host(kDefaultHost);
}

}  // namespace silo::client
