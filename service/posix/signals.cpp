#include "service/posix/signals.h"

#include <csignal>

namespace silo::service {

SignalHandler::SignalHandler(boost::asio::io_context& io, SignalActions actions)
    : signals_(io, SIGTERM, SIGINT, SIGHUP), actions_(std::move(actions)) {
  // A client that hangs up must never kill the daemon (Asio also sends with MSG_NOSIGNAL).
  std::signal(SIGPIPE, SIG_IGN);
  wait();
}

void SignalHandler::cancel() {
  boost::system::error_code ignored;
  signals_.cancel(ignored);
}

void SignalHandler::wait() {
  signals_.async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      actions_.reload();
    } else if (stopping_) {
      actions_.stop_now();
    } else {
      stopping_ = true;
      actions_.stop(signal);
    }
    wait();
  });
}

}  // namespace silo::service
