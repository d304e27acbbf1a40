#include "api/transport/tcp_endpoint.h"

#include <charconv>

namespace silo::api {
namespace {

Error bad_tcp_host(std::string_view host, std::string_view why) {
  return make_error(Errc::invalid_argument, "host \"" + std::string(host) + "\" " + std::string(why) +
                                                "; expected tcp://IP:PORT such as tcp://0.0.0.0:2376 or tcp://[::1]:2376");
}

}  // namespace

using tcp = asio::ip::tcp;

Result<tcp::endpoint> tcp_endpoint(std::string_view host) {
  constexpr std::string_view kScheme = "tcp://";
  if (!host.starts_with(kScheme)) return bad_tcp_host(host, "is not a tcp:// address");
  std::string_view rest = host.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return bad_tcp_host(host, "has no port");
  std::string_view name = rest.substr(0, colon);
  std::string_view port_text = rest.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return bad_tcp_host(host, "has an invalid port (0 to 65535)");
  }
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
  if (name == "localhost") name = "127.0.0.1";
  boost::system::error_code parse_ec;
  auto address = asio::ip::make_address(std::string(name), parse_ec);
  if (parse_ec) return bad_tcp_host(host, "does not name an IP address");
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

}  // namespace silo::api
