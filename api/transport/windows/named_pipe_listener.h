// The named-pipe transport: `silod --host npipe:////./pipe/NAME` (Windows' \\.\pipe\NAME).
//
// One pipe instance always waits for the next client (an overlapped ConnectNamedPipe on Asio's
// windows::stream_handle); when a client takes it, a new instance is created before the connection
// is handed to the same Session template the unix socket uses, so concurrent clients each get an
// instance. The first instance is created with FILE_FLAG_FIRST_PIPE_INSTANCE: when another process
// already serves the name, open() fails instead of sharing (or squatting) it. Remote clients are
// rejected (PIPE_REJECT_REMOTE_CLIENTS), and the DACL comes from pipe_security.h.
//
// Pipe mode: PIPE_TYPE_MESSAGE with PIPE_READMODE_BYTE, as dockerd creates its pipe through go-winio
// (MessageMode: true). Writes are delimited messages, so a message-mode client (go-winio's) can send
// a zero-byte message to half-close a stream; the daemon reads in byte mode because HTTP is a byte
// stream and Beast's parser must see requests across message boundaries (message read mode would
// end reads at every message with ERROR_MORE_DATA).
#pragma once

#include "api/http/server.h"
#include "api/transport/windows/pipe_security.h"
#include "core/errors.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/windows/stream_handle.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace silo::api::windows {

struct NamedPipeListenerOptions {
  std::string path;                 // \\.\pipe\NAME
  std::vector<std::string> groups;  // account names given read/write on the pipe
  unsigned buffer_bytes = 64 * 1024;
};

class NamedPipeListener final : public Listener, public std::enable_shared_from_this<NamedPipeListener> {
 public:
  // Creates the first instance; fails when the name is taken or a group does not exist.
  static Result<std::shared_ptr<NamedPipeListener>> open(asio::any_io_executor executor, NamedPipeListenerOptions options);

  // Accepts connections into server until close().
  void start(std::shared_ptr<HttpServer> server) override;

  std::string address() const override;  // npipe:////./pipe/NAME
  void close() override;
  const std::string& sddl() const noexcept { return sddl_; }

  ~NamedPipeListener() override;

 private:
  NamedPipeListener(asio::any_io_executor executor, NamedPipeListenerOptions options, std::string sddl,
                    SecurityDescriptor descriptor);
  asio::awaitable<void> accept_loop(std::shared_ptr<HttpServer> server);
  asio::awaitable<boost::system::error_code> wait_for_client(asio::windows::stream_handle& instance);
  Result<void*> create_instance(bool first) const;
  void serve(asio::windows::stream_handle instance, const std::shared_ptr<HttpServer>& server);

  asio::any_io_executor strand_;  // accept loop and close() share it
  NamedPipeListenerOptions options_;
  std::string sddl_;
  SecurityDescriptor descriptor_;
  void* pending_ = nullptr;                    // the instance waiting for a client (a HANDLE)
  asio::windows::stream_handle* waiting_ = nullptr;  // its stream while ConnectNamedPipe is pending
  bool closed_ = false;
};

// "npipe:////./pipe/NAME" -> "\\.\pipe\NAME"; other schemes and empty names are rejected by name.
Result<std::string> named_pipe_path(std::string_view host);

}  // namespace silo::api::windows
