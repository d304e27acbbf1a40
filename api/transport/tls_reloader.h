// The TLS context new connections get, rebuilt without a restart when its files change (polled
// every few seconds: mtime, size and inode of each file, so an edit in place and a rename over the
// file both count) or when reload() is called (SIGHUP). A connection keeps the context it was
// accepted with (OpenSSL counts references), so connected clients keep working. A new set of files
// that does not load (a key that does not match, a half-written file) leaves the current context
// in place and logs an error once per change.
#pragma once

#include "api/transport/tls_context.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace silo::api {

class TlsReloader : public std::enable_shared_from_this<TlsReloader> {
 public:
  // Builds the first context; an error here stops silod from starting.
  static Result<std::shared_ptr<TlsReloader>> create(TlsServerFiles files);

  // The context for the next accepted connection.
  std::shared_ptr<boost::asio::ssl::context> current() const;

  // Rebuilds from the files now; true when the new context is in use. `why` goes into the log.
  bool reload(std::string_view why);

  // Polls the files every `interval` on executor until stop().
  void watch(boost::asio::any_io_executor executor, std::chrono::milliseconds interval);
  void stop();

  // Bumped at every successful reload; for tests and the log.
  std::uint64_t generation() const;

 private:
  struct Stamp {
    long long mtime_ns = 0;
    long long size = 0;
    unsigned long long inode = 0;
    bool exists = false;
    bool operator==(const Stamp&) const = default;
  };

  explicit TlsReloader(TlsServerFiles files) : files_(std::move(files)) {}
  std::vector<Stamp> stamps() const;
  void schedule();
  void poll();

  TlsServerFiles files_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> current_;
  std::vector<Stamp> loaded_stamps_;  // what the files were when current_ (or a failed try) was built
  std::uint64_t generation_ = 0;
  std::unique_ptr<boost::asio::steady_timer> timer_;
  std::chrono::milliseconds interval_{2000};
  bool stopped_ = false;
};

}  // namespace silo::api
