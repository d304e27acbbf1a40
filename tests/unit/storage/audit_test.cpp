// The audit trail in SQLite: appended entries come back newest first, filtered and bounded; a
// database written by a silod before the trail existed (schema v1) upgrades in place keeping its
// data, and a step that fails leaves it at v1, untouched and still refused with the reason.
#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"
#include "tests/unit/storage/store_test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silo::testing {
namespace {

using storage::sqlite::Connection;
using storage::sqlite::OpenMode;

AuditEntry entry(const std::string& identity, const std::string& path, int status) {
  return AuditEntry{0, 0, identity, "operator", "unix", "uid=1000 pid=7", "POST", "/v1/containers/{id}/start", path,
                    "web", status, "rid-" + path};
}

// A database as a silod of schema v1 left it: step 1 only, with a sandbox in it.
void write_v1_database(const std::filesystem::path& path, const SandboxRecord& sandbox) {
  auto connection = Connection::open(path.string(), {OpenMode::read_write_create, std::chrono::milliseconds(1000)});
  ASSERT_TRUE(connection);
  ASSERT_TRUE(storage::sqlite::apply_migration(**connection, storage::sqlite::migrations()[0], 1));
  auto insert = (*connection)->prepare(
      "INSERT INTO sandboxes (id, name, isolation, state, labels, annotations, spec, created_at, backend_handle) "
      "VALUES (?, ?, 'hyperv', 'ready', '{}', '{}', '{}', 1, '')");
  ASSERT_TRUE(insert);
  ASSERT_TRUE(insert->bind_all(sandbox.id, sandbox.name));
  ASSERT_TRUE(insert->run());
}

TEST(AuditStore, ListsNewestFirstWithFiltersAndALimit) {
  TempDir dir;
  TestClock clock(1000);
  auto store = open_store(dir, clock);
  ASSERT_TRUE(store);
  for (int i = 0; i < 5; ++i) {
    clock.set(1000 + i);
    auto appended = store->append_audit(entry(i % 2 ? "uid 1000" : "uid 0", "/v1/containers/c" + std::to_string(i), 200));
    ASSERT_TRUE(appended) << appended.error().message;
    EXPECT_EQ(appended->time, 1000 + i);
    EXPECT_EQ(appended->id, i + 1);
  }
  auto all = store->list_audit({});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ(all->front().path, "/v1/containers/c4");
  EXPECT_EQ(all->back().path, "/v1/containers/c0");
  EXPECT_EQ(all->front().request_id, "rid-/v1/containers/c4");
  EXPECT_EQ(all->front().route, "/v1/containers/{id}/start");
  EXPECT_EQ(all->front().status, 200);

  auto bounded = store->list_audit({.limit = 2});
  ASSERT_TRUE(bounded);
  ASSERT_EQ(bounded->size(), 2u);
  EXPECT_EQ(bounded->back().path, "/v1/containers/c3");

  auto window = store->list_audit({.since = 1001, .until = 1003, .identity = "uid 1000"});
  ASSERT_TRUE(window);
  ASSERT_EQ(window->size(), 2u);
  EXPECT_EQ(window->at(0).path, "/v1/containers/c3");
  EXPECT_EQ(window->at(1).path, "/v1/containers/c1");
}

TEST(AuditStore, AVersion1DatabaseUpgradesKeepingItsData) {
  TempDir dir;
  TestClock clock;
  auto kept = make_sandbox("kept");
  write_v1_database(dir.path() / "silo.db", kept);
  auto store = open_store(dir, clock);
  ASSERT_TRUE(store);
  auto found = store->find_sandbox("kept");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->id, kept.id);
  ASSERT_TRUE(store->append_audit(entry("uid 0", "/v1/sandboxes", 201)));
  EXPECT_EQ(store->list_audit({})->size(), 1u);
  store.reset();
  auto connection = Connection::open((dir.path() / "silo.db").string(), {OpenMode::read_only, std::chrono::milliseconds(1000)});
  ASSERT_TRUE(connection);
  EXPECT_EQ(storage::sqlite::read_schema_version(**connection).value(), 2);
  EXPECT_EQ((*connection)->query_int64("SELECT count(*) FROM schema_migrations").value(), 2);
}

// What a crash half-way through step 2 would leave if the step were not one transaction is what a
// failing step must not leave either: the database stays at v1 with its data, and opening it
// again says which step failed and why.
TEST(AuditStore, AFailedUpgradeLeavesTheVersion1DatabaseAsItWas) {
  TempDir dir;
  TestClock clock;
  const auto path = dir.path() / "silo.db";
  write_v1_database(path, make_sandbox("kept"));
  {
    auto connection = Connection::open(path.string(), {OpenMode::read_write, std::chrono::milliseconds(1000)});
    ASSERT_TRUE(connection);
    // Something in the way of step 2 (an index of the name it creates), as a foreign tool might leave.
    ASSERT_TRUE((*connection)->exec("CREATE INDEX audit_by_time ON events(time)"));
  }
  auto refused = open_metadata_store(StoreOptions{.path = path, .clock = clock});
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, ::testing::HasSubstr("migration step 2 (audit trail) failed"));
  auto connection = Connection::open(path.string(), {OpenMode::read_only, std::chrono::milliseconds(1000)});
  ASSERT_TRUE(connection);
  EXPECT_EQ(storage::sqlite::read_schema_version(**connection).value(), 1);
  EXPECT_EQ((*connection)->query_int64("SELECT count(*) FROM sqlite_schema WHERE name = 'audit'").value(), 0);
  EXPECT_EQ((*connection)->query_int64("SELECT count(*) FROM sandboxes").value(), 1);
}

}  // namespace
}  // namespace silo::testing
