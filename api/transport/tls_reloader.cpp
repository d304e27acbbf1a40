#include "api/transport/tls_reloader.h"

#include "core/logging.h"

#include <boost/asio/post.hpp>

#include <sys/stat.h>

namespace silo::api {

Result<std::shared_ptr<TlsReloader>> TlsReloader::create(TlsServerFiles files) {
  auto reloader = std::shared_ptr<TlsReloader>(new TlsReloader(std::move(files)));
  reloader->loaded_stamps_ = reloader->stamps();
  auto context = build_server_context(reloader->files_);
  if (!context) return context.error();
  reloader->current_ = std::move(*context);
  return reloader;
}

std::shared_ptr<boost::asio::ssl::context> TlsReloader::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::uint64_t TlsReloader::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

std::vector<TlsReloader::Stamp> TlsReloader::stamps() const {
  std::vector<Stamp> out;
  for (const std::string* path : {&files_.ca_file, &files_.cert_file, &files_.key_file, &files_.crl_file}) {
    Stamp stamp;
    struct stat info {};
    if (!path->empty() && ::stat(path->c_str(), &info) == 0) {
      stamp.exists = true;
      stamp.mtime_ns = static_cast<long long>(info.st_mtim.tv_sec) * 1'000'000'000LL + info.st_mtim.tv_nsec;
      stamp.size = static_cast<long long>(info.st_size);
      stamp.inode = static_cast<unsigned long long>(info.st_ino);
    }
    out.push_back(stamp);
  }
  return out;
}

bool TlsReloader::reload(std::string_view why) {
  auto log = logging::get("api");
  auto seen = stamps();
  auto context = build_server_context(files_);
  std::lock_guard lock(mutex_);
  loaded_stamps_ = std::move(seen);  // a failed try is not retried until the files change again
  if (!context) {
    log->error("TLS reload ({}): keeping the current certificates: {}", why, context.error().message);
    return false;
  }
  current_ = std::move(*context);
  ++generation_;
  log->info("TLS reload ({}): new connections use {} (generation {})", why, files_.cert_file, generation_);
  return true;
}

void TlsReloader::watch(boost::asio::any_io_executor executor, std::chrono::milliseconds interval) {
  std::lock_guard lock(mutex_);
  interval_ = interval;
  timer_ = std::make_unique<boost::asio::steady_timer>(executor);
  boost::asio::post(executor, [self = shared_from_this()] { self->schedule(); });
}

void TlsReloader::schedule() {
  std::lock_guard lock(mutex_);
  if (stopped_ || !timer_) return;
  timer_->expires_after(interval_);
  timer_->async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    self->poll();
    self->schedule();
  });
}

void TlsReloader::poll() {
  bool changed = false;
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    changed = stamps() != loaded_stamps_;
  }
  if (changed) reload("files changed");
}

void TlsReloader::stop() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
  if (timer_) timer_->cancel();
}

}  // namespace silo::api
