// Each migration step applied on top of the ones before it, and refusal of databases newer than
// this build or belonging to another program.
#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"
#include "tests/unit/storage/store_test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

namespace silo::testing {
namespace {

using storage::sqlite::Connection;
using storage::sqlite::OpenMode;
using ::testing::HasSubstr;

std::unique_ptr<Connection> raw_connection(const std::filesystem::path& path) {
  auto connection = Connection::open(path.string(), {OpenMode::read_write_create, std::chrono::milliseconds(1000)});
  EXPECT_TRUE(connection) << (connection ? "" : connection.error().message);
  return connection ? std::move(*connection) : nullptr;
}

std::set<std::string> schema_objects(Connection& connection) {
  std::set<std::string> names;
  auto statement = connection.prepare("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'");
  EXPECT_TRUE(statement);
  for (int i = 0; i < 1000; ++i) {
    auto row = statement->step();
    if (!row || !*row) break;
    names.insert(statement->column_text(0));
  }
  return names;
}

// What each step adds to the schema. A new step adds its entry here and its own checks below.
const std::map<int, std::set<std::string>> kObjectsAddedByStep{
    {1,
     {"schema_migrations", "layers", "layers_by_parent", "sandboxes", "sandboxes_by_isolation", "sandbox_labels",
      "sandbox_labels_by_key_value", "containers", "containers_by_sandbox", "containers_by_state",
      "containers_by_isolation", "containers_by_top_layer", "container_labels", "container_labels_by_key_value",
      "events", "events_by_time", "events_by_actor"}},
    {2, {"audit", "audit_by_time", "audit_by_identity"}},
};

TEST(Migrations, EveryStepHasItsExpectedObjectsListed) {
  for (const auto& step : storage::sqlite::migrations()) {
    EXPECT_TRUE(kObjectsAddedByStep.contains(step.version)) << "step " << step.version << " has no test entry";
  }
}

TEST(Migrations, EachStepAppliesOnTopOfThePreviousOnes) {
  for (const auto& step : storage::sqlite::migrations()) {
    TempDir dir;
    auto connection = raw_connection(dir.path() / "silo.db");
    ASSERT_TRUE(connection);
    for (const auto& earlier : storage::sqlite::migrations()) {
      if (earlier.version >= step.version) break;
      ASSERT_TRUE(storage::sqlite::apply_migration(*connection, earlier, 100 + earlier.version));
    }
    const auto before = schema_objects(*connection);
    ASSERT_EQ(storage::sqlite::read_schema_version(*connection).value(), step.version - 1);

    auto applied = storage::sqlite::apply_migration(*connection, step, 555);
    ASSERT_TRUE(applied) << applied.error().message;

    EXPECT_EQ(storage::sqlite::read_schema_version(*connection).value(), step.version);
    std::set<std::string> added;
    for (const auto& name : schema_objects(*connection)) {
      if (!before.contains(name)) added.insert(name);
    }
    EXPECT_EQ(added, kObjectsAddedByStep.at(step.version)) << "step " << step.version;
    auto recorded = connection->prepare("SELECT description, applied_at FROM schema_migrations WHERE version = ?");
    ASSERT_TRUE(recorded);
    ASSERT_TRUE(recorded->bind_all(std::int64_t{step.version}));
    ASSERT_TRUE(recorded->step().value());
    EXPECT_EQ(recorded->column_text(0), step.description);
    EXPECT_EQ(recorded->column_int64(1), 555);
  }
}

TEST(Migrations, Step1EnforcesForeignKeysAndMonotonicEventIds) {
  TempDir dir;
  auto connection = raw_connection(dir.path() / "silo.db");
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->exec("PRAGMA foreign_keys = ON"));
  ASSERT_TRUE(storage::sqlite::apply_migration(*connection, storage::sqlite::migrations()[0], 1));
  auto orphan = connection->exec(
      "INSERT INTO containers (id, name, sandbox_id, isolation, state, state_reason, labels, spec, created_at, "
      "backend_handle) VALUES ('c', 'c', 'missing', 'process', 'created', '', '{}', '{}', 0, '')");
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, Errc::failed_precondition);
  auto bad_state = connection->exec(
      "INSERT INTO sandboxes (id, name, isolation, state, labels, annotations, spec, created_at, backend_handle) "
      "VALUES ('s', 's', 'process', 'sleeping', '{}', '{}', '{}', 0, '')");
  EXPECT_FALSE(bad_state);
  // AUTOINCREMENT: after the newest event is deleted its id is still not handed out again.
  ASSERT_TRUE(connection->exec("INSERT INTO events (time, type, action, actor_id, attributes) VALUES (1, 't', 'a', 'x', '{}')"));
  ASSERT_TRUE(connection->exec("DELETE FROM events"));
  ASSERT_TRUE(connection->exec("INSERT INTO events (time, type, action, actor_id, attributes) VALUES (1, 't', 'a', 'x', '{}')"));
  EXPECT_EQ(connection->last_insert_rowid(), 2);
}

TEST(Migrations, ReopeningAnUpToDateDatabaseKeepsItsData) {
  TempDir dir;
  TestClock clock;
  {
    auto store = open_store(dir, clock);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write([](WriteTxn& txn) { return txn.insert_sandbox(make_sandbox("kept")); }));
  }
  auto store = open_store(dir, clock);
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->find_sandbox("kept"));
}

TEST(Migrations, RefusesADatabaseFromANewerSilod) {
  TempDir dir;
  TestClock clock;
  const auto path = dir.path() / "silo.db";
  { ASSERT_TRUE(open_store(dir, clock)); }
  {
    auto connection = raw_connection(path);
    ASSERT_TRUE(connection->exec("PRAGMA user_version = 99"));
  }
  const auto before = read_bytes(path);
  auto store = open_metadata_store(StoreOptions{.path = path, .clock = clock});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::failed_precondition);
  EXPECT_THAT(store.error().message, HasSubstr(path.string()));
  EXPECT_THAT(store.error().message, HasSubstr("schema version 99, newer than this silod supports (" +
                                               std::to_string(storage::sqlite::latest_schema_version()) + ")"));
  EXPECT_THAT(store.error().message, HasSubstr("upgrade silod or restore a backup"));
  EXPECT_EQ(read_bytes(path), before);
}

TEST(Migrations, RefusesAnotherProgramsDatabase) {
  TempDir dir;
  TestClock clock;
  const auto path = dir.path() / "silo.db";
  {
    auto connection = raw_connection(path);
    ASSERT_TRUE(connection->exec("CREATE TABLE photos (id INTEGER PRIMARY KEY, caption TEXT)"));
  }
  const auto before = read_bytes(path);
  auto store = open_metadata_store(StoreOptions{.path = path, .clock = clock});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::failed_precondition);
  EXPECT_THAT(store.error().message, HasSubstr("not a silo database"));
  EXPECT_EQ(read_bytes(path), before);
}

}  // namespace
}  // namespace silo::testing
