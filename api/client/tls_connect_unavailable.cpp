// Builds without OpenSSL (the windows-cross preset): a tcp:// endpoint with TLS is refused by name.
#include "api/client/detail/any_stream.h"

namespace silo::client::detail {

ClientResult<AnyStream> start_tls(boost::asio::io_context&, TcpStream, const Endpoint& endpoint, const Timeouts&) {
  return unreachable(make_error(Errc::unavailable, "this siloctl was built without TLS support (OpenSSL); use the named pipe or a build "
                                                       "with OpenSSL (cannot reach " + endpoint.to_string() + " with --tlsverify)"));
}

}  // namespace silo::client::detail
