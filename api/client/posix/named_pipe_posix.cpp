// Named pipes are Windows' local transport; on other systems the daemon listens on a unix socket.
#include "api/client/detail/any_stream.h"

namespace silo::client::detail {

ClientResult<AnyStream> connect_named_pipe(boost::asio::io_context&, const Endpoint&, const Timeouts&) {
  return unreachable(make_error(Errc::failed_precondition,
                                "named pipes are only available on Windows; on this system the daemon "
                                "listens on a unix socket (unix:///path/to/silod.sock)"));
}

}  // namespace silo::client::detail
