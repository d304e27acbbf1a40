// Who is on the client end of a named pipe, as Windows vouches for it: the client's process id
// (GetNamedPipeClientProcessId) and its token, read by impersonating the client for the duration of
// one OpenThreadToken call. Administrators (S-1-5-32-544) or SYSTEM (S-1-5-18) in the token make
// the peer an admin. A peer whose token cannot be read is an error: the listener then refuses it.
#pragma once

#include "api/transport/peer.h"
#include "core/errors.h"

namespace silo::api::windows {

// `pipe` is the server end of a connected pipe instance (a HANDLE).
Result<PeerIdentity> named_pipe_peer_identity(void* pipe);

}  // namespace silo::api::windows
