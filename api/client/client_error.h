// What went wrong with a request, in the three ways a caller must tell apart: the daemon could not
// be reached (siloctl exits 125 and asks whether silod runs), the daemon answered with an error
// (exit 1, its message shown as it gave it), or the daemon answered something that is not silo's API.
#pragma once

#include "core/errors.h"

#include <boost/system/result.hpp>

namespace silo::client {

enum class Failure {
  unreachable,  // no socket, connection refused, connect/read timeout, connection dropped
  daemon,       // the daemon answered 4xx/5xx with {"message","code"}
  protocol,     // the answer was not what the API defines (bad JSON, missing fields)
};

struct ClientError {
  Failure failure = Failure::unreachable;
  // For `daemon`: the server's code and message. Otherwise: our own description.
  Error error;
  // The HTTP status for `daemon` (and for a protocol error after a status line), else 0.
  int http_status = 0;
};

template <class T>
using ClientResult = boost::system::result<T, ClientError>;

ClientError unreachable(Error e);
ClientError protocol_error(std::string message, int http_status = 0);

// Found by ADL from ClientResult<T>::value() on an error, which is a caller's mistake.
[[noreturn]] void throw_exception_from_error(const ClientError& e, const boost::source_location& loc);

}  // namespace silo::client
