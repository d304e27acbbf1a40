#include "api/http/refusal_log.h"

#include "core/logging.h"

#include <iterator>

namespace silo::api {
namespace {

constexpr const char* kOtherPeers = "other peers";

}  // namespace

std::size_t RefusalLog::due(const std::string& peer, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (peers_.size() >= max_peers_ && !peers_.contains(peer)) {
    // Forget the peers that have been quiet for an interval; if every one is recent, the newcomer
    // shares an entry so the map stays bounded whatever the number of addresses.
    std::erase_if(peers_, [&](const auto& item) {
      return item.second.unlogged == 0 && now - item.second.last_logged >= interval_;
    });
    if (peers_.size() >= max_peers_) return due_locked(kOtherPeers, now);
  }
  return due_locked(peer, now);
}

std::size_t RefusalLog::due_locked(const std::string& peer, Clock::time_point now) {
  auto [entry, fresh] = peers_.try_emplace(peer);
  ++entry->second.unlogged;
  if (!fresh && now - entry->second.last_logged < interval_) return 0;
  entry->second.last_logged = now;
  return std::exchange(entry->second.unlogged, 0);
}

void RefusalLog::refused(const std::string& peer, const std::string& reason) {
  std::size_t count = due(peer, Clock::now());
  if (count == 0) return;
  logging::get("api")->warn("refused {} connection(s) from {} in the last {} s: {}", count, peer,
                            interval_.count() / 1000, reason);
}

}  // namespace silo::api
