// The unix socket transport: `silod --host unix:///run/silo/silod.sock`.
//
// Opening refuses to take over a socket a live daemon still answers on (it connects to find
// out), replaces a stale socket file left by a daemon that died, and never deletes anything that is
// not a socket. The socket is created under a temporary name, given mode 0660 and the configured
// group, and renamed into place, so no client ever sees it with looser permissions.
// Each connection carries the peer's uid/gid/pid from SO_PEERCRED.
#pragma once

#include "api/http/server.h"
#include "core/errors.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>

namespace silo::api {

struct UnixListenerOptions {
  std::string path;
  std::string group;  // name or numeric gid; empty: keep the daemon's own group
  unsigned mode = 0660;
};

class UnixListener final : public Listener, public std::enable_shared_from_this<UnixListener> {
 public:
  static Result<std::shared_ptr<UnixListener>> open(asio::any_io_executor executor, const UnixListenerOptions& options);

  // Accepts connections into server until close().
  void start(std::shared_ptr<HttpServer> server) override;

  std::string address() const override { return "unix://" + path_; }
  void close() override;

  ~UnixListener() override;

 private:
  UnixListener(asio::local::stream_protocol::acceptor acceptor, std::string path, ino_t inode)
      : acceptor_(std::move(acceptor)), path_(std::move(path)), inode_(inode) {}
  asio::awaitable<void> accept_loop(std::shared_ptr<HttpServer> server);
  void remove_socket_file();

  asio::local::stream_protocol::acceptor acceptor_;
  std::string path_;
  ino_t inode_;
  bool removed_ = false;
};

// The uid/gid/pid the kernel recorded for the connecting process.
PeerIdentity unix_peer_identity(asio::local::stream_protocol::socket& socket);

// "unix:///run/silo/silod.sock" -> "/run/silo/silod.sock"; other schemes are rejected by name.
Result<std::string> unix_socket_path(std::string_view host);

// gid for a group name or number.
Result<gid_t> lookup_group(std::string_view group);

}  // namespace silo::api
