// FuzzStream: the server end of an in-memory connection (Beast's test::stream) in the shape
// Session<Stream> needs. Session cancels and closes the lowest layer with error_code overloads;
// test::stream has only close(), so both map to it. Every cancel in a session leads to a close
// (timeouts and shutdown end the connection), and the fuzz harness never reaches a timeout: the
// client's bytes are all there from the start, followed by end of stream.
#pragma once

#include <boost/beast/_experimental/test/stream.hpp>

#include <utility>

namespace silo::fuzz {

class FuzzStream {
 public:
  using executor_type = boost::beast::test::stream::executor_type;

  explicit FuzzStream(boost::beast::test::stream stream) : stream_(std::move(stream)) {}

  executor_type get_executor() noexcept { return stream_.get_executor(); }

  template <class Buffers, class Token>
  auto async_read_some(const Buffers& buffers, Token&& token) {
    return stream_.async_read_some(buffers, std::forward<Token>(token));
  }

  template <class Buffers, class Token>
  auto async_write_some(const Buffers& buffers, Token&& token) {
    return stream_.async_write_some(buffers, std::forward<Token>(token));
  }

  void cancel(boost::system::error_code& ec) {
    ec = {};
    stream_.close();
  }

  void close(boost::system::error_code& ec) {
    ec = {};
    stream_.close();
  }

 private:
  boost::beast::test::stream stream_;
};

}  // namespace silo::fuzz
