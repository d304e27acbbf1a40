#include "api/transport/unix_listener.h"

#include "api/http/session.h"
#include "core/ids.h"
#include "core/logging.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <vector>

namespace silo::api {
namespace {

using local = asio::local::stream_protocol;

constexpr std::size_t kMaxSocketPath = sizeof(sockaddr_un::sun_path) - 1;

// Whether a daemon answers on path: a successful connect means yes, ECONNREFUSED means the file is
// a leftover. Any other failure is reported rather than guessed at.
Result<bool> socket_is_live(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return errno_error(Errc::internal, "socket()", errno);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  path.copy(address.sun_path, kMaxSocketPath);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  int err = rc == 0 ? 0 : errno;
  ::close(fd);
  if (rc == 0 || err == EAGAIN) return true;  // EAGAIN: alive, its backlog is full
  if (err == ECONNREFUSED) return false;
  return errno_error(Errc::failed_precondition, "cannot tell whether " + path + " is in use", err);
}

Result<void> check_existing(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return {};
    return errno_error(Errc::failed_precondition, "cannot inspect " + path, errno);
  }
  if (!S_ISSOCK(info.st_mode)) {
    return make_error(Errc::already_exists, path + " exists and is not a socket; remove it or choose another --host");
  }
  auto live = socket_is_live(path);
  if (!live) return live.error();
  if (*live) {
    return make_error(Errc::already_exists, "another daemon is already serving unix://" + path +
                                                " (a connection to it succeeded); stop it or choose another --host");
  }
  logging::get("api")->info("replacing stale socket file {}", path);
  return {};
}

Result<void> prepare_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::create_directories(dir, ec); ec) {
    return make_error(Errc::failed_precondition, "cannot create socket directory " + dir.string() + ": " + ec.message());
  }
  return {};
}

}  // namespace

Result<std::string> unix_socket_path(std::string_view host) {
  constexpr std::string_view kScheme = "unix://";
  if (!host.starts_with(kScheme)) {
    return make_error(Errc::invalid_argument, "host \"" + std::string(host) +
                                                  "\" is not supported; this silod listens on unix:///ABSOLUTE/PATH only");
  }
  std::string path(host.substr(kScheme.size()));
  if (path.empty() || path.front() != '/') {
    return make_error(Errc::invalid_argument, "host \"" + std::string(host) + "\" needs an absolute path, e.g. unix:///run/silo/silod.sock");
  }
  if (path.size() > kMaxSocketPath) {
    return make_error(Errc::invalid_argument, "socket path " + path + " is longer than the " +
                                                  std::to_string(kMaxSocketPath) + " bytes a unix socket allows");
  }
  return path;
}

Result<gid_t> lookup_group(std::string_view group) {
  gid_t numeric = 0;
  auto [end, ec] = std::from_chars(group.data(), group.data() + group.size(), numeric);
  if (ec == std::errc() && end == group.data() + group.size()) return numeric;
  std::string name(group);
  std::vector<char> buffer(16 * 1024);
  struct group entry {};
  struct group* found = nullptr;
  int rc = ::getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (rc != 0) return errno_error(Errc::failed_precondition, "cannot look up group " + name, rc);
  if (!found) return make_error(Errc::not_found, "group \"" + name + "\" does not exist; create it or set another group");
  return found->gr_gid;
}

PeerIdentity unix_peer_identity(local::socket& socket) {
  PeerIdentity peer;
  peer.transport = "unix";
  ucred credentials{};
  socklen_t length = sizeof(credentials);
  if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0) {
    peer.uid = credentials.uid;
    peer.gid = credentials.gid;
    peer.pid = credentials.pid;
  }
  return peer;
}

Result<std::shared_ptr<UnixListener>> UnixListener::open(asio::any_io_executor executor, const UnixListenerOptions& options) {
  std::filesystem::path final_path(options.path);
  SILO_TRY(prepare_directory(final_path.parent_path()));
  SILO_TRY(check_existing(options.path));
  std::optional<gid_t> gid;
  if (!options.group.empty()) {
    auto found = lookup_group(options.group);
    if (!found) return found.error();
    gid = *found;
  }
  // Bound under a private name, then renamed over the final path: atomic, and never looser than mode.
  std::string temp = (final_path.parent_path() / (".silod-" + ids::generate().substr(0, 8) + ".sock")).string();
  if (temp.size() > kMaxSocketPath) temp = options.path;  // no room for a temporary name: bind in place
  if (temp == options.path) ::unlink(options.path.c_str());

  local::acceptor acceptor(asio::make_strand(executor));  // accept loop and close() share it
  boost::system::error_code ec;
  acceptor.open(local{}, ec);
  if (!ec) acceptor.bind(local::endpoint(temp), ec);
  if (ec) return make_error(Errc::failed_precondition, "cannot bind unix socket " + options.path + ": " + ec.message());
  auto fail = [&](const std::string& what, int err) {
    ::unlink(temp.c_str());
    return errno_error(Errc::failed_precondition, what, err);
  };
  if (::chmod(temp.c_str(), options.mode) != 0) return fail("cannot set mode of " + options.path, errno);
  if (gid && ::chown(temp.c_str(), static_cast<uid_t>(-1), *gid) != 0) {
    return fail("cannot give " + options.path + " to group " + options.group, errno);
  }
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("cannot listen on " + options.path, ec.value());
  if (temp != options.path && ::rename(temp.c_str(), options.path.c_str()) != 0) {
    return fail("cannot move socket into place at " + options.path, errno);
  }
  struct stat info {};
  ::stat(options.path.c_str(), &info);
  return std::shared_ptr<UnixListener>(new UnixListener(std::move(acceptor), options.path, info.st_ino));
}

void UnixListener::start(std::shared_ptr<HttpServer> server) {
  asio::co_spawn(acceptor_.get_executor(), accept_loop(std::move(server)), asio::detached);
}

asio::awaitable<void> UnixListener::accept_loop(std::shared_ptr<HttpServer> server) {
  auto self = shared_from_this();
  auto log = logging::get("api");
  log->info("listening on {}", address());
  for (;;) {
    local::socket socket(asio::make_strand(server->executor()));
    auto [ec] = co_await acceptor_.async_accept(socket, asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
    if (ec) {
      // EMFILE and friends: back off briefly instead of spinning; clients wait in the backlog.
      log->warn("accept on {} failed: {}", address(), ec.message());
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    auto peer = unix_peer_identity(socket);
    Session<local::socket>::start(std::move(socket), std::move(peer), server);
  }
  log->info("stopped listening on {}", address());
}

void UnixListener::close() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    self->remove_socket_file();
  });
}

void UnixListener::remove_socket_file() {
  if (removed_) return;
  removed_ = true;
  // Only our own socket: a newer daemon may have replaced it after we were declared stale.
  struct stat info {};
  if (::lstat(path_.c_str(), &info) == 0 && info.st_ino == inode_) ::unlink(path_.c_str());
}

UnixListener::~UnixListener() = default;

}  // namespace silo::api
