// Many threads writing and reading one store at once: no errors, nothing lost.
#include "tests/unit/storage/store_test_support.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace silo::testing {
namespace {

TEST(Concurrency, WritersAndReadersTogether) {
  constexpr int kWriters = 4;
  constexpr int kReaders = 4;
  constexpr int kWritesPerThread = 40;
  TempDir dir;
  TestClock clock;
  auto store = open_store(dir, clock, 2);  // fewer readers than reading threads: the pool must make them wait
  ASSERT_TRUE(store);
  auto pod = make_sandbox("pod");
  ASSERT_TRUE(store->write([&](WriteTxn& txn) { return txn.insert_sandbox(pod); }));

  std::atomic<int> failures{0};
  std::atomic<bool> writers_done{false};
  std::vector<std::string> first_failure(kWriters + kReaders);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        auto container = make_container("w" + std::to_string(w) + "-" + std::to_string(i), pod.id);
        auto written = store->write([&](WriteTxn& txn) -> Result<void> {
          SILO_TRY(txn.insert_container(container));
          container.state = ContainerState::running;
          SILO_TRY(txn.update_container(container));
          auto event = txn.append_event({"container", "start", container.id, {}});
          if (!event) return event.error();
          return {};
        });
        if (!written) {
          if (failures++ == 0) first_failure[static_cast<std::size_t>(w)] = written.error().message;
        }
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&, r] {
      // Bounded: at most 2000 rounds even if the writers were slow.
      for (int round = 0; round < 2000 && !writers_done.load(); ++round) {
        auto listed = store->list_containers({.state = ContainerState::running});
        auto events = store->list_events({.types = {"container"}});
        auto found = store->find_sandbox("pod");
        if (!listed || !events || !found) {
          if (failures++ == 0) {
            first_failure[static_cast<std::size_t>(kWriters + r)] =
                !listed ? listed.error().message : !events ? events.error().message : found.error().message;
          }
        }
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[static_cast<std::size_t>(w)].join();
  writers_done = true;
  for (auto& thread : threads) {
    if (thread.joinable()) thread.join();
  }

  std::string messages;
  for (const auto& message : first_failure) messages += message.empty() ? "" : message + "\n";
  EXPECT_EQ(failures.load(), 0) << messages;
  const auto containers = store->list_containers({.state = ContainerState::running}).value();
  EXPECT_EQ(containers.size(), static_cast<std::size_t>(kWriters * kWritesPerThread));
  std::set<std::string> names;
  for (const auto& container : containers) names.insert(container.name);
  for (int w = 0; w < kWriters; ++w) {
    for (int i = 0; i < kWritesPerThread; ++i) {
      EXPECT_TRUE(names.contains("w" + std::to_string(w) + "-" + std::to_string(i)));
    }
  }
  const auto events = store->list_events({.limit = 10000}).value();
  EXPECT_EQ(events.size(), static_cast<std::size_t>(kWriters * kWritesPerThread));
  for (std::size_t i = 1; i < events.size(); ++i) EXPECT_GT(events[i].id, events[i - 1].id);
}

}  // namespace
}  // namespace silo::testing
