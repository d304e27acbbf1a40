// The session side of BodyReader: a Beast buffer_body parser that continues the string_body parser
// which read the header, so no body byte is read before the handler asks for it.
#pragma once

#include "api/http/body_reader.h"
#include "api/http/session_io.h"

#include <boost/beast/http/buffer_body.hpp>

namespace silo::api {

using StreamingParser = http::request_parser<http::buffer_body>;

template <class Stream>
class StreamingBody final : public BodyReader {
 public:
  StreamingBody(SessionIo<Stream>& io, StreamingParser& parser, std::size_t limit) : io_(io), parser_(parser), limit_(limit) {
    io_.set_body_unfinished(!parser_.is_done());
  }

  boost::asio::awaitable<BodyRead> read_some(std::span<char> buffer) override {
    BodyRead result;
    // Each round parses what arrived; a round may yield no body bytes (chunk framing), so repeat
    // until data, the end, or an error. Every round either consumes input or fails.
    while (!parser_.is_done() && result.bytes == 0 && !buffer.empty()) {
      auto& body = parser_.get().body();
      body.data = buffer.data();
      body.size = buffer.size();
      auto ec = co_await io_.read_body_some(parser_);
      result.bytes = buffer.size() - body.size;
      if (ec) {
        result.ok = false;
        result.answer = rejection_for(ec, io_.timeout_phase(), io_.limits());
        if (ec == http::error::body_limit && result.answer) result.answer = too_large();
        break;
      }
    }
    io_.set_body_unfinished(!parser_.is_done());
    co_return result;
  }

 private:
  Response too_large() const {
    return error_response(http::status::payload_too_large, Errc::invalid_argument,
                          "request body exceeds the limit of " + std::to_string(limit_) + " bytes for this route");
  }

  SessionIo<Stream>& io_;
  StreamingParser& parser_;
  std::size_t limit_;
};

}  // namespace silo::api
