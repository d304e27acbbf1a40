#include "api/client/client_error.h"

namespace silo::client {

ClientError unreachable(Error e) { return ClientError{Failure::unreachable, std::move(e), 0}; }

ClientError protocol_error(std::string message, int http_status) {
  return ClientError{Failure::protocol, make_error(Errc::internal, std::move(message)), http_status};
}

void throw_exception_from_error(const ClientError& e, const boost::source_location& loc) {
  silo::throw_exception_from_error(e.error, loc);
}

}  // namespace silo::client
