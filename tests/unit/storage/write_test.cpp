// write(): all-or-nothing transactions, the events they return, and refusals that name what is in the way.
#include "storage/sqlite/connection.h"
#include "tests/unit/storage/store_test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silo::testing {
namespace {

using ::testing::HasSubstr;

class WriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->write([&](WriteTxn& txn) { return txn.insert_sandbox(pod_); }));
  }
  TempDir dir_;
  TestClock clock_;
  std::unique_ptr<SqliteMetadataStore> store_ = open_store(dir_, clock_);
  SandboxRecord pod_ = make_sandbox("pod");
};

TEST_F(WriteTest, FailedBodyLeavesNothingBehind) {
  const auto events_before = store_->last_event_id().value();
  auto written = store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_container(make_container("one", pod_.id)));
    SILO_TRY(txn.append_event({"container", "create", "one", {}}));
    SILO_TRY(txn.insert_layer(make_layer(id_with_prefix("77"))));
    auto renamed = pod_;
    renamed.name = "renamed";
    SILO_TRY(txn.update_sandbox(renamed));
    EXPECT_EQ(txn.get_sandbox(pod_.id).value().name, "renamed");
    return make_error(Errc::conflict, "body gave up half-way");
  });
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, Errc::conflict);
  EXPECT_EQ(written.error().message, "body gave up half-way");
  EXPECT_TRUE(store_->list_containers({}).value().empty());
  EXPECT_TRUE(store_->list_layers().value().empty());
  EXPECT_EQ(store_->find_sandbox(pod_.id).value().name, "pod");
  EXPECT_TRUE(store_->list_events({}).value().empty());
  EXPECT_EQ(store_->last_event_id().value(), events_before);
  // The connection is usable again after the rollback.
  EXPECT_TRUE(store_->write([&](WriteTxn& txn) { return txn.insert_container(make_container("two", pod_.id)); }));
}

TEST_F(WriteTest, StoreErrorInTheMiddleRollsBackEarlierWrites) {
  auto written = store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_container(make_container("a", pod_.id)));
    return txn.insert_container(make_container("a", pod_.id));  // duplicate name
  });
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, Errc::already_exists);
  EXPECT_TRUE(store_->list_containers({}).value().empty());
}

TEST_F(WriteTest, BodySeesItsOwnWrites) {
  auto container = make_container("web", pod_.id);
  ASSERT_TRUE(store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_container(container));
    auto read = txn.get_container(container.id);
    if (!read) return read.error();
    EXPECT_EQ(read->name, "web");
    return {};
  }));
}

TEST_F(WriteTest, NestedWriteIsRefusedNotDeadlocked) {
  Result<std::vector<EventRecord>> inner = std::vector<EventRecord>{};
  ASSERT_TRUE(store_->write([&](WriteTxn&) -> Result<void> {
    inner = store_->write([](WriteTxn&) -> Result<void> { return {}; });
    return {};
  }));
  ASSERT_FALSE(inner);
  EXPECT_THAT(inner.error().message, HasSubstr("inside a write() body"));
}

TEST_F(WriteTest, SandboxInUseCannotBeDeleted) {
  ASSERT_TRUE(store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_container(make_container("web", pod_.id)));
    return txn.insert_container(make_container("api", pod_.id));
  }));
  auto deleted = store_->write([&](WriteTxn& txn) { return txn.delete_sandbox(pod_.id); });
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().code, Errc::failed_precondition);
  EXPECT_THAT(deleted.error().message, HasSubstr("\"api\", \"web\""));
  EXPECT_THAT(deleted.error().message, HasSubstr(std::string(ids::shorten(pod_.id))));
  EXPECT_TRUE(store_->find_sandbox(pod_.id));

  ASSERT_TRUE(store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.delete_container(store_->find_container("web").value().id));
    SILO_TRY(txn.delete_container(store_->find_container("api").value().id));
    return txn.delete_sandbox(pod_.id);
  }));
  EXPECT_EQ(store_->find_sandbox(pod_.id).error().code, Errc::not_found);
  auto again = store_->write([&](WriteTxn& txn) { return txn.delete_sandbox(pod_.id); });
  EXPECT_EQ(again.error().code, Errc::not_found);
}

TEST_F(WriteTest, LayerInUseCannotBeDeleted) {
  auto base = make_layer(id_with_prefix("b0"));
  auto top = make_layer(id_with_prefix("70"), base.id);
  auto container = make_container("web", pod_.id);
  container.top_layer = top.id;
  ASSERT_TRUE(store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_layer(base));
    SILO_TRY(txn.insert_layer(top));
    return txn.insert_container(container);
  }));
  auto base_deleted = store_->write([&](WriteTxn& txn) { return txn.delete_layer(base.id); });
  ASSERT_FALSE(base_deleted);
  EXPECT_EQ(base_deleted.error().code, Errc::failed_precondition);
  EXPECT_THAT(base_deleted.error().message, HasSubstr("still used by layer " + std::string(ids::shorten(top.id))));

  auto top_deleted = store_->write([&](WriteTxn& txn) { return txn.delete_layer(top.id); });
  ASSERT_FALSE(top_deleted);
  EXPECT_THAT(top_deleted.error().message, HasSubstr("still used by container \"web\""));

  ASSERT_TRUE(store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.delete_container(container.id));
    SILO_TRY(txn.delete_layer(top.id));
    return txn.delete_layer(base.id);
  }));
  EXPECT_TRUE(store_->list_layers().value().empty());
}

TEST_F(WriteTest, MissingReferencesAreRefusedByName) {
  auto orphan = make_container("orphan", id_with_prefix("99"));
  auto inserted = store_->write([&](WriteTxn& txn) { return txn.insert_container(orphan); });
  ASSERT_FALSE(inserted);
  EXPECT_EQ(inserted.error().code, Errc::failed_precondition);
  EXPECT_THAT(inserted.error().message, HasSubstr("refers to sandbox \"" + orphan.sandbox_id + "\""));

  auto no_layer = make_container("nolayer", pod_.id);
  no_layer.top_layer = id_with_prefix("98");
  inserted = store_->write([&](WriteTxn& txn) { return txn.insert_container(no_layer); });
  ASSERT_FALSE(inserted);
  EXPECT_THAT(inserted.error().message, HasSubstr("refers to layer"));

  auto child = make_layer(id_with_prefix("97"), id_with_prefix("96"));
  inserted = store_->write([&](WriteTxn& txn) { return txn.insert_layer(child); });
  ASSERT_FALSE(inserted);
  EXPECT_EQ(inserted.error().code, Errc::failed_precondition);
  EXPECT_THAT(inserted.error().message, HasSubstr("import the parent first"));
}

TEST_F(WriteTest, ForeignKeyIsTheBackstopBehindTheExplicitChecks) {
  // Straight SQL, past the explicit checks: SQLite's own foreign key still refuses, and the error
  // maps to failed_precondition.
  auto opened = storage::sqlite::Connection::open((dir_.path() / "silo.db").string(),
                                                      {storage::sqlite::OpenMode::read_write, std::chrono::milliseconds(2000)});
  ASSERT_TRUE(opened);
  auto connection = std::move(opened).value();
  ASSERT_TRUE(connection->exec("PRAGMA foreign_keys = ON"));
  auto removed = connection->exec("DELETE FROM sandboxes");
  EXPECT_TRUE(removed);  // nothing references the sandbox yet
  ASSERT_TRUE(store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_sandbox(make_sandbox("pod2", id_with_prefix("42"))));
    return txn.insert_container(make_container("web", id_with_prefix("42")));
  }));
  removed = connection->exec("DELETE FROM sandboxes");
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().code, Errc::failed_precondition);
  EXPECT_THAT(removed.error().message, HasSubstr("FOREIGN KEY constraint failed"));
}

}  // namespace
}  // namespace silo::testing
