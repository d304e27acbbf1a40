#include "core/events/event_hub.h"

#include <gtest/gtest.h>

#include <atomic>

namespace silo::events {
namespace {

EventRecord event(std::int64_t id) { return EventRecord{id, id, "container", "start", "c", {}}; }

TEST(EventHub, DeliversPublishedEventsInOrderAndNotifies) {
  auto hub = EventHub::create();
  auto subscription = hub->subscribe();
  std::atomic<int> notified = 0;
  subscription->set_notify([&] { ++notified; });
  hub->publish({event(1), event(2)});
  hub->publish({event(3)});
  auto got = subscription->take();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].id, 1);
  EXPECT_EQ(got[2].id, 3);
  EXPECT_EQ(notified, 2);
  EXPECT_TRUE(subscription->take().empty());
}

TEST(EventHub, NotifiesAtOnceWhenEventsArrivedBeforeTheCallback) {
  auto hub = EventHub::create();
  auto subscription = hub->subscribe();
  hub->publish({event(1)});
  bool notified = false;
  subscription->set_notify([&] { notified = true; });
  EXPECT_TRUE(notified);
}

TEST(EventHub, ASlowFollowerOverflowsInsteadOfGrowing) {
  auto hub = EventHub::create();
  auto subscription = hub->subscribe(3);
  hub->publish({event(1), event(2)});
  hub->publish({event(3), event(4)});
  EXPECT_EQ(subscription->state(), Subscription::State::overflowed);
  EXPECT_TRUE(subscription->take().empty());
  auto other = hub->subscribe(3);
  hub->publish({event(5)});
  EXPECT_EQ(other->take().size(), 1u);
}

TEST(EventHub, CloseEndsEverySubscriptionAndLaterOnes) {
  auto hub = EventHub::create();
  auto subscription = hub->subscribe();
  hub->close();
  EXPECT_EQ(subscription->state(), Subscription::State::closed);
  EXPECT_EQ(hub->subscribe()->state(), Subscription::State::closed);
}

TEST(EventHub, DroppedAndCancelledSubscriptionsAreForgotten) {
  auto hub = EventHub::create();
  auto kept = hub->subscribe();
  auto cancelled = hub->subscribe();
  { auto dropped = hub->subscribe(); }
  cancelled->cancel();
  EXPECT_EQ(hub->subscriber_count(), 1u);
  hub->publish({event(1)});
  EXPECT_TRUE(cancelled->take().empty());
  EXPECT_EQ(kept->take().size(), 1u);
}

}  // namespace
}  // namespace silo::events
