#include "storage/layers/chunk_pipe.h"

#include <algorithm>
#include <cstring>

namespace silo::layers {

void ChunkPipe::set_on_space(std::function<void()> on_space) {
  std::lock_guard lock(mutex_);
  on_space_ = std::move(on_space);
}

bool ChunkPipe::try_push(std::string& chunk) {
  {
    std::lock_guard lock(mutex_);
    if (chunks_.size() >= max_chunks_) return false;
    if (!chunk.empty()) chunks_.push_back(std::move(chunk));
  }
  ready_.notify_one();
  return true;
}

void ChunkPipe::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_one();
}

void ChunkPipe::abort(std::string reason) {
  {
    std::lock_guard lock(mutex_);
    aborted_ = std::move(reason);
  }
  ready_.notify_one();
}

Result<std::size_t> ChunkPipe::read(std::span<char> out) {
  std::function<void()> wake;
  std::size_t n = 0;
  {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return aborted_ || !chunks_.empty() || closed_; });
    if (aborted_) return make_error(Errc::invalid_argument, *aborted_);
    if (chunks_.empty()) return std::size_t{0};
    auto& front = chunks_.front();
    n = std::min(out.size(), front.size() - offset_);
    std::memcpy(out.data(), front.data() + offset_, n);
    offset_ += n;
    if (offset_ == front.size()) {
      chunks_.pop_front();
      offset_ = 0;
      wake = on_space_;
    }
  }
  if (wake) wake();
  return n;
}

}  // namespace silo::layers
