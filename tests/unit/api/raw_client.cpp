#include "raw_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace silo::test {

using Clock = std::chrono::steady_clock;

std::string RawResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

RawClient::RawClient(const std::string& socket_path) {
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path.c_str(), sizeof(address.sun_path) - 1);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawClient::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

void RawClient::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

bool RawClient::fill(Clock::time_point until) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
  if (left <= 0 || fd_ < 0) return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
  char data[4096];
  auto n = ::recv(fd_, data, sizeof(data), 0);
  if (n <= 0) return false;
  buffer_.append(data, static_cast<std::size_t>(n));
  return true;
}

std::optional<std::string> RawClient::take_line(Clock::time_point until) {
  for (int i = 0; i < 100000; ++i) {
    auto end = buffer_.find("\r\n");
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    if (!fill(until)) return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> RawClient::take_bytes(std::size_t n, Clock::time_point until) {
  for (int i = 0; i < 100000 && buffer_.size() < n; ++i) {
    if (!fill(until)) return std::nullopt;
  }
  if (buffer_.size() < n) return std::nullopt;
  std::string out = buffer_.substr(0, n);
  buffer_.erase(0, n);
  return out;
}

std::optional<RawResponse> RawClient::read_head(std::chrono::milliseconds deadline) {
  auto until = Clock::now() + deadline;
  auto status_line = take_line(until);
  if (!status_line || status_line->size() < 12) return std::nullopt;
  RawResponse response;
  response.status = std::stoi(status_line->substr(9, 3));
  for (int i = 0; i < 200; ++i) {
    auto line = take_line(until);
    if (!line) return std::nullopt;
    if (line->empty()) return response;
    auto colon = line->find(':');
    std::string name = line->substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = colon == std::string::npos ? "" : line->substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    response.headers[name] = value;
  }
  return std::nullopt;
}

std::optional<std::string> RawClient::read_chunk(Clock::time_point until) {
  auto size_line = take_line(until);
  if (!size_line) return std::nullopt;
  auto size = std::stoul(*size_line, nullptr, 16);
  auto data = take_bytes(size + 2, until);
  if (!data) return std::nullopt;
  return data->substr(0, size);
}

std::optional<RawResponse> RawClient::read_response(std::chrono::milliseconds deadline) {
  auto until = Clock::now() + deadline;
  auto response = read_head(deadline);
  if (!response) return std::nullopt;
  if (response->header("transfer-encoding") == "chunked") {
    for (int i = 0; i < 100000; ++i) {
      auto chunk = read_chunk(until);
      if (!chunk) return std::nullopt;
      if (chunk->empty()) return response;
      response->body += *chunk;
    }
    return std::nullopt;
  }
  auto length = response->header("content-length");
  auto body = take_bytes(length.empty() ? 0 : std::stoul(length), until);
  if (!body) return std::nullopt;
  response->body = *body;
  return response;
}

std::optional<std::string> RawClient::read_stream_line(std::chrono::milliseconds deadline) {
  auto until = Clock::now() + deadline;
  for (int i = 0; i < 100000; ++i) {
    auto newline = stream_pending_.find('\n');
    if (newline != std::string::npos) {
      std::string line = stream_pending_.substr(0, newline);
      stream_pending_.erase(0, newline + 1);
      return line;
    }
    auto chunk = read_chunk(until);
    if (!chunk) return std::nullopt;
    if (chunk->empty()) {
      stream_ended_ = true;
      return std::nullopt;
    }
    stream_pending_ += *chunk;
  }
  return std::nullopt;
}

bool RawClient::wait_closed(std::chrono::milliseconds deadline) {
  auto until = Clock::now() + deadline;
  for (int i = 0; i < 100000; ++i) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    char data[4096];
    auto n = ::recv(fd_, data, sizeof(data), 0);
    if (n <= 0) return true;
  }
  return false;
}

std::string get_request(const std::string& target, const std::string& extra_headers) {
  return "GET " + target + " HTTP/1.1\r\nHost: silod\r\n" + extra_headers + "\r\n";
}

}  // namespace silo::test
