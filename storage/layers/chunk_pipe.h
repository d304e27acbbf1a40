// Hands an upload from the thread that receives it (an io thread, in pieces as they arrive) to the
// thread that extracts it, with a bound on what is in flight, so a fast client cannot make silod
// buffer a whole layer and a slow disk slows the client instead.
#pragma once

#include "storage/layers/byte_source.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace silo::layers {

class ChunkPipe final : public ByteSource {
 public:
  explicit ChunkPipe(std::size_t max_chunks = 4) : max_chunks_(max_chunks) {}

  // Producer side. try_push is false while the pipe is full; on_space (set before pushing) runs on
  // the consumer's thread whenever a chunk is taken, to wake the producer.
  void set_on_space(std::function<void()> on_space);
  bool try_push(std::string& chunk);  // moves the chunk out only when it returns true
  void close();                    // the stream ended normally
  void abort(std::string reason);  // the upload broke; the consumer's next read fails

  // Consumer side.
  Result<std::size_t> read(std::span<char> out) override;

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::string> chunks_;
  std::size_t offset_ = 0;  // consumed bytes of chunks_.front()
  std::size_t max_chunks_;
  bool closed_ = false;
  std::optional<std::string> aborted_;
  std::function<void()> on_space_;
};

}  // namespace silo::layers
