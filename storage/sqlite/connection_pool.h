// The store's connections: one writer behind a mutex (SQLite allows one writer at a time anyway)
// and a bounded pool of readers that WAL lets run alongside the writer. A thread holds a
// connection only through a lease, so no connection is ever used by two threads at once.
#pragma once

#include "storage/sqlite/connection.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace silo::storage::sqlite {

class ReaderPool {
 public:
  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Connection> connection) noexcept
        : pool_(&pool), connection_(std::move(connection)) {}
    ~Lease() {
      if (connection_) pool_->give_back(std::move(connection_));
    }
    Lease(Lease&& other) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;

    Connection& operator*() const noexcept { return *connection_; }
    Connection* operator->() const noexcept { return connection_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  explicit ReaderPool(std::vector<std::unique_ptr<Connection>> connections) noexcept
      : idle_(std::move(connections)) {}

  // Waits while every reader is in use; the wait is bounded by the readers' own work, which is
  // one query each.
  Lease acquire();

 private:
  void give_back(std::unique_ptr<Connection> connection);

  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace silo::storage::sqlite
