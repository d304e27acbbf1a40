// Acknowledged container state changes per second through the metadata store, the way the API
// makes them (one write() per change: update the container row, append its event), against the
// raw baseline of the same rows written with plain sqlite3 prepared statements and the same pragmas
// in the same run. Both one transaction per change and batched.
//
// Usage: store_bench [changes] (default 2000; each variant also stops after 10 s).
#include "core/ids.h"
#include "storage/sqlite/metadata_store.h"

#include <sqlite3.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using namespace silo;
using Clock = std::chrono::steady_clock;

constexpr int kContainers = 100;
constexpr int kBatch = 100;
constexpr auto kVariantBudget = std::chrono::seconds(10);

struct Measured {
  long changes = 0;
  double seconds = 0;
  double per_second() const { return seconds > 0 ? static_cast<double>(changes) / seconds : 0; }
};

// The same row content both sides write: a state flip with its reason, times and exit code.
ContainerRecord changed(ContainerRecord record, long n) {
  record.state = n % 2 == 0 ? ContainerState::running : ContainerState::exited;
  record.state_reason = n % 2 == 0 ? "started by API" : "exited with code 0";
  record.started_at = n;
  record.finished_at = n % 2 == 0 ? std::nullopt : std::optional<TimeNs>(n);
  record.exit_code = n % 2 == 0 ? std::nullopt : std::optional<int>(0);
  return record;
}

// Runs `step(first, count)` over `total` changes in groups of `batch`, within the time budget.
template <class Step>
Measured measure(long total, int batch, Step step) {
  const auto start = Clock::now();
  Measured result;
  while (result.changes < total && Clock::now() - start < kVariantBudget) {
    const long count = std::min<long>(batch, total - result.changes);
    if (!step(result.changes, count)) {
      std::fprintf(stderr, "a write failed; stopping\n");
      std::exit(1);
    }
    result.changes += count;
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

std::vector<ContainerRecord> seed(SqliteMetadataStore& store) {
  std::vector<ContainerRecord> containers;
  SandboxRecord pod;
  pod.id = ids::generate();
  pod.name = "bench";
  for (int i = 0; i < kContainers; ++i) {
    ContainerRecord record;
    record.id = ids::generate();
    record.name = "bench-" + std::to_string(i);
    record.sandbox_id = pod.id;
    record.labels = {{"app", "bench"}};
    record.spec = nlohmann::json{{"image", "busybox"}, {"cmd", {"true"}}};
    containers.push_back(record);
  }
  auto written = store.write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_sandbox(pod));
    for (const auto& record : containers) SILO_TRY(txn.insert_container(record));
    return {};
  });
  if (!written) {
    std::fprintf(stderr, "seeding failed: %s\n", written.error().message.c_str());
    std::exit(1);
  }
  return containers;
}

Measured silo_run(SqliteMetadataStore& store, const std::vector<ContainerRecord>& containers, long total, int batch) {
  return measure(total, batch, [&](long first, long count) {
    auto written = store.write([&](WriteTxn& txn) -> Result<void> {
      for (long n = first; n < first + count; ++n) {
        const auto record = changed(containers[static_cast<std::size_t>(n % kContainers)], n);
        SILO_TRY(txn.update_container(record));
        auto event = txn.append_event({"container", std::string(to_string(record.state)), record.id, {}});
        if (!event) return event.error();
      }
      return {};
    });
    return static_cast<bool>(written);
  });
}

bool ok(int rc) { return rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW; }

// The baseline: the same UPDATE and INSERT, hand-written against sqlite3 with no layer between.
Measured raw_run(sqlite3* db, const std::vector<ContainerRecord>& containers, long total, int batch) {
  sqlite3_stmt* update = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db,
                     "UPDATE containers SET state = ?2, state_reason = ?3, started_at = ?4, finished_at = ?5, "
                     "exit_code = ?6 WHERE id = ?1",
                     -1, &update, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO events (time, type, action, actor_id, attributes) VALUES (?, ?, ?, ?, '{}')",
                     -1, &insert, nullptr);
  auto result = measure(total, batch, [&](long first, long count) {
    bool good = ok(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr));
    for (long n = first; good && n < first + count; ++n) {
      const auto record = changed(containers[static_cast<std::size_t>(n % kContainers)], n);
      const std::string state(to_string(record.state));
      sqlite3_bind_text(update, 1, record.id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(update, 2, state.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(update, 3, record.state_reason.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(update, 4, *record.started_at);
      if (record.finished_at) sqlite3_bind_int64(update, 5, *record.finished_at); else sqlite3_bind_null(update, 5);
      if (record.exit_code) sqlite3_bind_int64(update, 6, *record.exit_code); else sqlite3_bind_null(update, 6);
      good = ok(sqlite3_step(update)) && sqlite3_changes(db) == 1;
      sqlite3_reset(update);
      sqlite3_bind_int64(insert, 1, n);
      sqlite3_bind_text(insert, 2, "container", -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 3, state.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 4, record.id.c_str(), -1, SQLITE_TRANSIENT);
      good = good && ok(sqlite3_step(insert));
      sqlite3_reset(insert);
    }
    return good && ok(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr));
  });
  sqlite3_finalize(update);
  sqlite3_finalize(insert);
  return result;
}

sqlite3* open_raw(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) std::exit(1);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", nullptr, nullptr,
               nullptr);
  return db;
}

void row(const char* name, const Measured& silo_result, const Measured& raw_result) {
  std::printf("%-28s %8ld %12.0f %12.0f %8.2f\n", name, silo_result.changes, silo_result.per_second(),
              raw_result.per_second(), raw_result.per_second() > 0 ? silo_result.per_second() / raw_result.per_second() : 0);
}

}  // namespace

int main(int argc, char** argv) {
  const long total = argc > 1 ? std::atol(argv[1]) : 2000;
  char pattern[] = "/tmp/silo-store-bench-XXXXXX";
  if (mkdtemp(pattern) == nullptr) return 1;
  const std::filesystem::path dir = pattern;
  SystemClock clock;

  // Both databases get silo's schema and the same seeded rows.
  auto opened_silo = open_metadata_store(StoreOptions{.path = dir / "silo.db", .clock = clock});
  auto opened_raw = open_metadata_store(StoreOptions{.path = dir / "raw.db", .clock = clock});
  if (!opened_silo || !opened_raw) {
    std::fprintf(stderr, "cannot open the databases in %s\n", dir.c_str());
    return 1;
  }
  auto silo_store = std::move(opened_silo).value();
  const auto containers = seed(*silo_store);
  const auto raw_containers = seed(*opened_raw.value());
  opened_raw.value().reset();
  sqlite3* raw = open_raw(dir / "raw.db");

  const auto silo_single = silo_run(*silo_store, containers, total, 1);
  const auto raw_single = raw_run(raw, raw_containers, total, 1);
  const auto silo_batched = silo_run(*silo_store, containers, total * 10, kBatch);
  const auto raw_batched = raw_run(raw, raw_containers, total * 10, kBatch);
  sqlite3_close(raw);
  silo_store.reset();

  std::printf("store_bench: container state change + event, WAL, synchronous=FULL, %d containers, dir %s\n",
              kContainers, dir.c_str());
  std::printf("%-28s %8s %12s %12s %8s\n", "variant", "changes", "silo ops/s", "raw ops/s", "silo/raw");
  row("one write() per change", silo_single, raw_single);
  row("100 changes per write()", silo_batched, raw_batched);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return 0;
}
