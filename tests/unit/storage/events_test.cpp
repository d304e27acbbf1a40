// Events: ids only grow, times come from the store's clock, and every query term narrows the result.
#include "tests/unit/storage/store_test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silo::testing {
namespace {

std::vector<std::int64_t> ids_of(const std::vector<EventRecord>& events) {
  std::vector<std::int64_t> out;
  for (const auto& event : events) out.push_back(event.id);
  return out;
}

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_);
    // Six events, one per write, at times 100, 200, ... 600.
    const std::vector<EventDraft> drafts{
        {"container", "create", "c1", {{"name", "web"}}}, {"container", "start", "c1", {}},
        {"sandbox", "create", "s1", {}},                  {"container", "create", "c2", {{"image", "busybox"}}},
        {"container", "die", "c1", {{"exitCode", "3"}}},  {"layer", "pull", "l1", {}}};
    for (std::size_t i = 0; i < drafts.size(); ++i) {
      clock_.set(static_cast<TimeNs>(100 * (i + 1)));
      auto written = store_->write([&](WriteTxn& txn) -> Result<void> {
        auto event = txn.append_event(drafts[i]);
        if (!event) return event.error();
        return {};
      });
      ASSERT_TRUE(written);
      ASSERT_EQ(written->size(), 1U);
      appended_.push_back(written->front());
    }
  }
  TempDir dir_;
  TestClock clock_;
  std::unique_ptr<SqliteMetadataStore> store_ = open_store(dir_, clock_);
  std::vector<EventRecord> appended_;
};

TEST_F(EventsTest, IdsGrowAndTimesComeFromTheClock) {
  for (std::size_t i = 0; i < appended_.size(); ++i) {
    EXPECT_EQ(appended_[i].time, static_cast<TimeNs>(100 * (i + 1)));
    if (i > 0) {
      EXPECT_GT(appended_[i].id, appended_[i - 1].id);
    }
  }
  EXPECT_EQ(store_->last_event_id().value(), appended_.back().id);
  const auto all = store_->list_events({}).value();
  ASSERT_EQ(all.size(), appended_.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].id, appended_[i].id);
    EXPECT_EQ(all[i].time, appended_[i].time);
    EXPECT_EQ(all[i].type, appended_[i].type);
    EXPECT_EQ(all[i].action, appended_[i].action);
    EXPECT_EQ(all[i].actor_id, appended_[i].actor_id);
    EXPECT_EQ(all[i].attributes, appended_[i].attributes);
  }
  EXPECT_EQ(all[4].attributes.at("exitCode"), "3");
}

TEST_F(EventsTest, WriteReturnsEveryEventOfTheBodyInOrder) {
  auto written = store_->write([&](WriteTxn& txn) -> Result<void> {
    for (int i = 0; i < 3; ++i) {
      auto event = txn.append_event({"container", "exec_start", "c1", {{"n", std::to_string(i)}}});
      if (!event) return event.error();
    }
    return {};
  });
  ASSERT_TRUE(written);
  ASSERT_EQ(written->size(), 3U);
  EXPECT_EQ((*written)[0].id, appended_.back().id + 1);
  EXPECT_EQ((*written)[2].attributes.at("n"), "2");
}

TEST_F(EventsTest, QueryTerms) {
  const auto& a = appended_;
  EXPECT_EQ(ids_of(store_->list_events({.after_id = a[3].id}).value()), (std::vector{a[4].id, a[5].id}));
  EXPECT_EQ(ids_of(store_->list_events({.since = 200, .until = 400}).value()), (std::vector{a[1].id, a[2].id, a[3].id}));
  EXPECT_EQ(ids_of(store_->list_events({.types = {"sandbox", "layer"}}).value()), (std::vector{a[2].id, a[5].id}));
  EXPECT_EQ(ids_of(store_->list_events({.actions = {"create"}}).value()), (std::vector{a[0].id, a[2].id, a[3].id}));
  EXPECT_EQ(ids_of(store_->list_events({.actor_ids = {"c1"}}).value()), (std::vector{a[0].id, a[1].id, a[4].id}));
  EXPECT_EQ(ids_of(store_->list_events({.limit = 2}).value()), (std::vector{a[0].id, a[1].id}));
  EXPECT_EQ(ids_of(store_->list_events({.after_id = a[0].id, .types = {"container"}, .actions = {"create", "die"},
                                        .actor_ids = {"c1", "c2"}, .limit = 1})
                       .value()),
            (std::vector{a[3].id}));
  EXPECT_TRUE(store_->list_events({.since = 700}).value().empty());
  EXPECT_TRUE(store_->list_events({.limit = 0}).value().empty());
}

}  // namespace
}  // namespace silo::testing
