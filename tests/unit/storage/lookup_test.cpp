// Finding objects by full id, unique id prefix or name, the way users type them.
#include "tests/unit/storage/store_test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silo::testing {
namespace {

using ::testing::HasSubstr;

class LookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_);
    pod_ = make_sandbox("pod", id_with_prefix("5a"));
    ASSERT_TRUE(store_->write([&](WriteTxn& txn) -> Result<void> {
      SILO_TRY(txn.insert_sandbox(pod_));
      SILO_TRY(txn.insert_container(make_container("first", pod_.id, id_with_prefix("abc1"))));
      SILO_TRY(txn.insert_container(make_container("second", pod_.id, id_with_prefix("abc2"))));
      // A container whose name looks like the start of the other ids.
      SILO_TRY(txn.insert_container(make_container("abc", pod_.id, id_with_prefix("ff"))));
      SILO_TRY(txn.insert_layer(make_layer(id_with_prefix("d00d"))));
      return txn.insert_layer(make_layer(id_with_prefix("d00e")));
    }));
  }
  TempDir dir_;
  TestClock clock_;
  std::unique_ptr<SqliteMetadataStore> store_ = open_store(dir_, clock_);
  SandboxRecord pod_;
};

TEST_F(LookupTest, FullIdUniquePrefixAndName) {
  EXPECT_EQ(store_->find_container(id_with_prefix("abc1")).value().name, "first");
  EXPECT_EQ(store_->find_container("abc2").value().name, "second");
  EXPECT_EQ(store_->find_container("abc10").value().name, "first");
  EXPECT_EQ(store_->find_container("second").value().id, id_with_prefix("abc2"));
  EXPECT_EQ(store_->find_sandbox("5").value().name, "pod");
  EXPECT_EQ(store_->find_sandbox("pod").value().id, pod_.id);
  EXPECT_EQ(store_->find_layer("d00d").value().id, id_with_prefix("d00d"));
}

TEST_F(LookupTest, ExactNameWinsOverPrefix) {
  // "abc" is both a prefix of two ids and the exact name of a third container.
  EXPECT_EQ(store_->find_container("abc").value().id, id_with_prefix("ff"));
}

TEST_F(LookupTest, AmbiguousPrefixIsRefused) {
  auto found = store_->find_container("ab");
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, Errc::invalid_argument);
  EXPECT_THAT(found.error().message, HasSubstr("\"ab\""));
  EXPECT_THAT(found.error().message, HasSubstr("more than one container"));
  auto layer = store_->find_layer("d00");
  ASSERT_FALSE(layer);
  EXPECT_EQ(layer.error().code, Errc::invalid_argument);
}

TEST_F(LookupTest, NoMatchNamesKindAndReference) {
  for (const std::string& ref : std::vector<std::string>{"0123", "nosuchname", "", id_with_prefix("abc3"), "ABC1"}) {
    auto found = store_->find_container(ref);
    ASSERT_FALSE(found) << ref;
    EXPECT_EQ(found.error().code, Errc::not_found) << ref;
    EXPECT_EQ(found.error().message, "no container with id or name \"" + ref + "\"");
  }
  auto layer = store_->find_layer("e");
  ASSERT_FALSE(layer);
  EXPECT_EQ(layer.error().message, "no layer with id \"e\"");
  EXPECT_EQ(store_->find_sandbox("podx").error().code, Errc::not_found);
}

TEST_F(LookupTest, FullIdWinsOverAnotherContainersName) {
  const auto target = id_with_prefix("abc1");
  ASSERT_TRUE(store_->write([&](WriteTxn& txn) {
    return txn.insert_container(make_container(id_with_prefix("abc2"), pod_.id, id_with_prefix("cc")));
  }));
  EXPECT_EQ(store_->find_container(id_with_prefix("abc2")).value().name, "second");
  EXPECT_EQ(store_->find_container(target).value().name, "first");
}

}  // namespace
}  // namespace silo::testing
