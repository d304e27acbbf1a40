#include "api/transport/windows/named_pipe_listener.h"

#include "api/http/session.h"
#include "api/transport/windows/pipe_identity.h"
#include "core/platform/windows/wide_text.h"
#include "core/logging.h"
#include "core/platform/windows/win32_error.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/windows/overlapped_ptr.hpp>

#include <windows.h>

namespace silo::api::windows {
namespace {

namespace win = silo::platform::windows;
using win::to_utf8;
using win::to_wide;
using PipeStream = asio::windows::stream_handle;

constexpr std::string_view kScheme = "npipe://";
constexpr std::string_view kPipePrefix = "//./pipe/";
constexpr std::string_view kWindowsPrefix = "\\\\.\\pipe\\";

// Starts an overlapped ConnectNamedPipe; the handler runs when a client arrives (or the wait fails).
template <class Handler>
void start_connect(PipeStream& instance, Handler handler) {
  asio::windows::overlapped_ptr overlapped(instance.get_executor(), std::move(handler));
  const BOOL ok = ConnectNamedPipe(instance.native_handle(), overlapped.get());
  const DWORD error = GetLastError();
  if (!ok && error == ERROR_PIPE_CONNECTED) {
    overlapped.complete(boost::system::error_code(), 0);  // a client came between create and connect
  } else if (!ok && error != ERROR_IO_PENDING) {
    overlapped.complete(boost::system::error_code(static_cast<int>(error), asio::error::get_system_category()), 0);
  } else {
    overlapped.release();  // the completion port reports it
  }
}

// Whether any process serves the name now: WaitNamedPipe says "no such pipe" only when no instance
// exists. FILE_FLAG_FIRST_PIPE_INSTANCE closes the race on Windows, but Wine 8 ignores that flag
// (a second CreateNamedPipe succeeds), so this check is what refuses a second daemon there.
bool pipe_exists(const std::wstring& name) {
  if (WaitNamedPipeW(name.c_str(), 1)) return true;
  return GetLastError() != ERROR_FILE_NOT_FOUND;
}

}  // namespace

Result<std::string> named_pipe_path(std::string_view host) {
  if (!host.starts_with(kScheme) || !host.substr(kScheme.size()).starts_with(kPipePrefix)) {
    return make_error(Errc::invalid_argument,
                      "host \"" + std::string(host) + "\" is not a named pipe; use npipe:////./pipe/NAME");
  }
  const std::string_view name = host.substr(kScheme.size() + kPipePrefix.size());
  if (name.empty() || name.find_first_of("/\\") != std::string_view::npos || name.size() > 200) {
    return make_error(Errc::invalid_argument, "host \"" + std::string(host) +
                                                  "\" needs a pipe name of 1 to 200 characters without slashes");
  }
  return std::string(kWindowsPrefix) + std::string(name);
}

NamedPipeListener::NamedPipeListener(asio::any_io_executor executor, NamedPipeListenerOptions options,
                                     std::string sddl, SecurityDescriptor descriptor)
    : strand_(asio::make_strand(executor)),
      options_(std::move(options)),
      sddl_(std::move(sddl)),
      descriptor_(std::move(descriptor)) {}

Result<std::shared_ptr<NamedPipeListener>> NamedPipeListener::open(asio::any_io_executor executor,
                                                                    NamedPipeListenerOptions options) {
  if (!options.path.starts_with(kWindowsPrefix) || options.path.size() == kWindowsPrefix.size()) {
    return make_error(Errc::invalid_argument, "pipe path \"" + options.path + "\" must be \\\\.\\pipe\\NAME");
  }
  auto sddl = pipe_sddl(options.groups);
  if (!sddl) return sddl.error();
  auto descriptor = SecurityDescriptor::from_sddl(*sddl);
  if (!descriptor) return descriptor.error();
  if (pipe_exists(to_wide(options.path))) {
    return make_error(Errc::already_exists, "another process already serves " + options.path +
                                                "; stop it or choose another --host");
  }
  std::shared_ptr<NamedPipeListener> listener(
      new NamedPipeListener(executor, std::move(options), std::move(*sddl), std::move(*descriptor)));
  auto first = listener->create_instance(/*first=*/true);
  if (!first) return first.error();
  listener->pending_ = *first;
  return listener;
}

Result<void*> NamedPipeListener::create_instance(bool first) const {
  SECURITY_ATTRIBUTES attributes{};
  attributes.nLength = sizeof(attributes);
  attributes.lpSecurityDescriptor = descriptor_.get();
  attributes.bInheritHandle = FALSE;
  const DWORD open_mode = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
  const DWORD pipe_mode = PIPE_TYPE_MESSAGE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS;
  const std::wstring name = to_wide(options_.path);
  HANDLE pipe = CreateNamedPipeW(name.c_str(), open_mode, pipe_mode, PIPE_UNLIMITED_INSTANCES, options_.buffer_bytes,
                                 options_.buffer_bytes, 0, &attributes);
  if (pipe != INVALID_HANDLE_VALUE) return static_cast<void*>(pipe);
  const DWORD error = GetLastError();
  if (first && (error == ERROR_ACCESS_DENIED || error == ERROR_PIPE_BUSY)) {
    // FILE_FLAG_FIRST_PIPE_INSTANCE fails with access denied when the name already exists.
    return win::win32_error(Errc::already_exists,
                            "another process already serves " + address() + "; stop it or choose another --host", error);
  }
  return win::win32_error(Errc::failed_precondition, "cannot create the named pipe " + options_.path, error);
}

std::string NamedPipeListener::address() const {
  return std::string(kScheme) + std::string(kPipePrefix) + options_.path.substr(kWindowsPrefix.size());
}

void NamedPipeListener::start(std::shared_ptr<HttpServer> server) {
  asio::co_spawn(strand_, accept_loop(std::move(server)), asio::detached);
}

asio::awaitable<boost::system::error_code> NamedPipeListener::wait_for_client(PipeStream& instance) {
  auto token = asio::as_tuple(asio::use_awaitable);
  auto initiation = [&instance](auto handler) { start_connect(instance, std::move(handler)); };
  auto operation = asio::async_initiate<decltype(token), void(boost::system::error_code, std::size_t)>(initiation, token);
  auto [ec, ignored] = co_await std::move(operation);
  co_return ec;
}

asio::awaitable<void> NamedPipeListener::accept_loop(std::shared_ptr<HttpServer> server) {
  auto self = shared_from_this();
  auto log = logging::get("api");
  log->info("listening on {} ({})", address(), sddl_);
  while (!closed_) {
    if (!pending_) {
      auto next = create_instance(/*first=*/false);
      if (!next) {
        // Out of handles or memory: clients wait in WaitNamedPipe meanwhile; try again shortly.
        log->error("{}", next.error().message);
        asio::steady_timer pause(strand_, std::chrono::seconds(1));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      pending_ = *next;
    }
    PipeStream instance(asio::make_strand(server->executor()), pending_);
    pending_ = nullptr;  // the stream owns it now
    waiting_ = &instance;
    auto ec = co_await wait_for_client(instance);
    waiting_ = nullptr;
    if (closed_) break;
    if (ec) {
      // ERROR_NO_DATA: the client left before we saw it. Either way only this instance is lost.
      if (ec.value() != ERROR_NO_DATA) log->warn("waiting for a client on {} failed: {}", address(), ec.message());
      continue;
    }
    // The next instance first, so a client dialing now finds one waiting.
    if (auto next = create_instance(/*first=*/false)) pending_ = *next;
    serve(std::move(instance), server);
  }
  log->info("stopped listening on {}", address());
}

void NamedPipeListener::serve(PipeStream instance, const std::shared_ptr<HttpServer>& server) {
  auto peer = named_pipe_peer_identity(instance.native_handle());
  if (!peer) {
    // Design rule: a peer the OS did not vouch for never gets in.
    logging::get("api")->warn("refused a client on {}: {}", address(), peer.error().message);
    return;  // the instance closes here
  }
  Session<PipeStream>::start(std::move(instance), std::move(*peer), server);
}

void NamedPipeListener::close() {
  asio::post(strand_, [self = shared_from_this()] {
    self->closed_ = true;
    boost::system::error_code ignored;
    if (self->waiting_) self->waiting_->close(ignored);
    if (self->pending_) {
      CloseHandle(self->pending_);
      self->pending_ = nullptr;
    }
  });
}

NamedPipeListener::~NamedPipeListener() {
  if (pending_) CloseHandle(pending_);
}

}  // namespace silo::api::windows
