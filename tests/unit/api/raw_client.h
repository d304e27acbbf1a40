// A deliberately dumb HTTP client over a unix socket, for tests: it sends exactly the bytes it is
// given and reads with a deadline, so tests can misbehave the way real clients do.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace silo::test {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;                            // de-chunked
  std::string header(const std::string& name) const;
};

class RawClient {
 public:
  explicit RawClient(const std::string& socket_path);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool send(const std::string& bytes);
  void shutdown_write();
  // One response, or nothing if the peer closed or the deadline passed first.
  std::optional<RawResponse> read_response(std::chrono::milliseconds deadline = std::chrono::seconds(5));
  // Reads the header of a response and returns it; the body is then read with read_line.
  std::optional<RawResponse> read_head(std::chrono::milliseconds deadline = std::chrono::seconds(5));
  // One line of a chunked NDJSON stream; nothing at the end of the stream or on timeout.
  std::optional<std::string> read_stream_line(std::chrono::milliseconds deadline = std::chrono::seconds(5));
  // True once read_stream_line has read the stream's last (empty) chunk: the server ended the
  // stream, as opposed to a read that merely timed out.
  bool stream_ended() const { return stream_ended_; }
  // True when the peer closes within the deadline (all data before it is discarded).
  bool wait_closed(std::chrono::milliseconds deadline = std::chrono::seconds(5));

 private:
  bool fill(std::chrono::steady_clock::time_point until);
  std::optional<std::string> take_line(std::chrono::steady_clock::time_point until);
  std::optional<std::string> take_bytes(std::size_t n, std::chrono::steady_clock::time_point until);
  std::optional<std::string> read_chunk(std::chrono::steady_clock::time_point until);

  int fd_ = -1;
  std::string buffer_;
  std::string stream_pending_;
  bool stream_ended_ = false;
};

// "GET /path HTTP/1.1" with Host and any extra header lines ("Name: value\r\n").
std::string get_request(const std::string& target, const std::string& extra_headers = "");

}  // namespace silo::test
