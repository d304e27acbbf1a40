// Signal handling for the foreground daemon: SIGTERM and SIGINT ask for a graceful stop (a second
// one stops at once), SIGHUP asks for a reload. Delivered through Asio on the io_context, so the
// callbacks run as ordinary handlers, not in signal context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <functional>
#include <memory>

namespace silo::service {

struct SignalActions {
  std::function<void(int signal)> stop;
  std::function<void()> stop_now;
  std::function<void()> reload;
};

class SignalHandler {
 public:
  SignalHandler(boost::asio::io_context& io, SignalActions actions);
  void cancel();

 private:
  void wait();

  boost::asio::signal_set signals_;
  SignalActions actions_;
  bool stopping_ = false;
};

}  // namespace silo::service
