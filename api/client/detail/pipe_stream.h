// Internal to the client library, Windows only: a named-pipe client end with the same deadline
// interface Beast's basic_stream gives sockets (expires_after / expires_never), so http_exchange.cpp
// drives it exactly like the unix and tcp streams. A deadline that passes cancels the pending
// operation, which then completes with beast::error::timeout.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/windows/stream_handle.hpp>
#include <boost/beast/core/error.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace silo::client::detail {

class PipeStream {
 public:
  using executor_type = boost::asio::any_io_executor;
  using lowest_layer_type = boost::asio::windows::stream_handle;

  // Takes ownership of an overlapped pipe handle.
  PipeStream(executor_type executor, boost::asio::windows::stream_handle::native_handle_type handle)
      : state_(std::make_unique<State>(executor, handle)) {}

  executor_type get_executor() noexcept { return state_->handle.get_executor(); }
  lowest_layer_type& lowest_layer() noexcept { return state_->handle; }

  // The deadline for every operation started from now on, until changed.
  void expires_after(std::chrono::steady_clock::duration timeout) {
    state_->expiry = std::chrono::steady_clock::now() + timeout;
  }
  void expires_never() { state_->expiry.reset(); }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return start(std::forward<Token>(token), [buffers](auto& handle, auto done) {
      handle.async_read_some(buffers, std::move(done));
    });
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return start(std::forward<Token>(token), [buffers](auto& handle, auto done) {
      handle.async_write_some(buffers, std::move(done));
    });
  }

 private:
  // Behind a pointer so the stream can move (into the AnyStream variant) while nothing is pending.
  struct State {
    State(executor_type executor, boost::asio::windows::stream_handle::native_handle_type native)
        : handle(executor, native), timer(executor) {}
    boost::asio::windows::stream_handle handle;
    boost::asio::steady_timer timer;
    std::optional<std::chrono::steady_clock::time_point> expiry;
    bool timed_out = false;
    unsigned generation = 0;  // a timer that fired for an earlier operation must not cancel a later one
  };

  template <class Token, class Operation>
  auto start(Token&& token, Operation operation) {
    using Signature = void(boost::system::error_code, std::size_t);
    return boost::asio::async_initiate<Token, Signature>(
        [state = state_.get(), operation](auto handler) mutable {
          arm(*state);
          auto executor = boost::asio::get_associated_executor(handler, state->handle.get_executor());
          operation(state->handle,
                    boost::asio::bind_executor(executor, [state, handler = std::move(handler)](
                                                             boost::system::error_code ec, std::size_t n) mutable {
                      state->timer.cancel();
                      if (state->timed_out) ec = boost::beast::error::timeout;
                      std::move(handler)(ec, n);
                    }));
        },
        token);
  }

  static void arm(State& state) {
    state.timed_out = false;
    const unsigned generation = ++state.generation;
    if (!state.expiry) return;
    state.timer.expires_at(*state.expiry);
    state.timer.async_wait([&state, generation](boost::system::error_code ec) {
      if (ec || generation != state.generation) return;  // the operation finished first
      state.timed_out = true;
      boost::system::error_code ignored;
      state.handle.cancel(ignored);
    });
  }

  std::unique_ptr<State> state_;
};

}  // namespace silo::client::detail
