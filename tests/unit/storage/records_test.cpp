// Every record type written and read back with all its fields, updates, and list filters.
#include "tests/unit/storage/store_test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace silo::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

void expect_same(const SandboxRecord& got, const SandboxRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.isolation, want.isolation);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.labels, want.labels);
  EXPECT_EQ(got.annotations, want.annotations);
  EXPECT_EQ(got.spec, want.spec);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.backend_handle, want.backend_handle);
}

void expect_same(const ContainerRecord& got, const ContainerRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.sandbox_id, want.sandbox_id);
  EXPECT_EQ(got.isolation, want.isolation);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.state_reason, want.state_reason);
  EXPECT_EQ(got.top_layer, want.top_layer);
  EXPECT_EQ(got.labels, want.labels);
  EXPECT_EQ(got.spec, want.spec);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.started_at, want.started_at);
  EXPECT_EQ(got.finished_at, want.finished_at);
  EXPECT_EQ(got.exit_code, want.exit_code);
  EXPECT_EQ(got.backend_handle, want.backend_handle);
}

class RecordsTest : public ::testing::Test {
 protected:
  Result<void> write(const std::function<Result<void>(WriteTxn&)>& body) {
    auto written = store_->write(body);
    if (!written) return written.error();
    return {};
  }
  std::vector<std::string> container_names(const ContainerFilter& filter) {
    auto listed = store_->list_containers(filter);
    EXPECT_TRUE(listed) << (listed ? "" : listed.error().message);
    std::vector<std::string> names;
    if (listed) {
      for (const auto& record : *listed) names.push_back(record.name);
    }
    return names;
  }

  TempDir dir_;
  TestClock clock_;
  std::unique_ptr<SqliteMetadataStore> store_ = open_store(dir_, clock_);
};

TEST_F(RecordsTest, SandboxRoundTripAndUpdate) {
  auto sandbox = make_sandbox("pod-a");
  ASSERT_TRUE(write([&](WriteTxn& txn) { return txn.insert_sandbox(sandbox); }));
  expect_same(store_->find_sandbox(sandbox.id).value(), sandbox);

  sandbox.name = "pod-renamed";
  sandbox.state = SandboxState::stopped;
  sandbox.labels = {{"team", "db"}};
  sandbox.annotations = {};
  sandbox.spec = nlohmann::json{{"nested", {{"deep", {1, 2, 3}}}}, {"unicode", "h\xc3\xa9llo"}};
  sandbox.backend_handle = "vm:other";
  ASSERT_TRUE(write([&](WriteTxn& txn) { return txn.update_sandbox(sandbox); }));
  expect_same(store_->find_sandbox("pod-renamed").value(), sandbox);
  EXPECT_EQ(store_->find_sandbox("pod-a").error().code, Errc::not_found);
  // The label child rows follow the update: the old label no longer matches, the new one does.
  EXPECT_TRUE(store_->list_sandboxes({.labels = {{"tier", std::nullopt}}}).value().empty());
  EXPECT_EQ(store_->list_sandboxes({.labels = {{"team", "db"}}}).value().size(), 1U);
}

TEST_F(RecordsTest, ContainerRoundTripWithEveryField) {
  auto sandbox = make_sandbox("pod");
  auto layer = make_layer(id_with_prefix("1a"));
  auto container = make_container("web", sandbox.id);
  container.top_layer = layer.id;
  container.state = ContainerState::exited;
  container.state_reason = "exited with code 3";
  container.started_at = 1'700'000'001'000'000'000;
  container.finished_at = 1'700'000'002'000'000'000;
  container.exit_code = -3;
  container.labels = {{"a", ""}, {"b=c", "d=e"}, {"empty-value", ""}};
  ASSERT_TRUE(write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_sandbox(sandbox));
    SILO_TRY(txn.insert_layer(layer));
    return txn.insert_container(container);
  }));
  expect_same(store_->find_container(container.id).value(), container);

  auto bare = make_container("bare", sandbox.id);
  ASSERT_TRUE(write([&](WriteTxn& txn) { return txn.insert_container(bare); }));
  const auto got = store_->find_container("bare").value();
  expect_same(got, bare);
  EXPECT_FALSE(got.top_layer);
  EXPECT_FALSE(got.exit_code);
}

TEST_F(RecordsTest, ContainerUpdateChangesMutableFieldsAndLabels) {
  auto sandbox = make_sandbox("pod");
  auto container = make_container("web", sandbox.id);
  ASSERT_TRUE(write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_sandbox(sandbox));
    return txn.insert_container(container);
  }));
  container.state = ContainerState::running;
  container.state_reason = "started by API";
  container.started_at = 42;
  container.labels = {{"app", "web2"}, {"new", "yes"}};
  ASSERT_TRUE(write([&](WriteTxn& txn) { return txn.update_container(container); }));
  expect_same(store_->find_container("web").value(), container);
  EXPECT_THAT(container_names({.labels = {{"app", "web2"}}}), ::testing::ElementsAre("web"));
  EXPECT_TRUE(container_names({.labels = {{"app", "web"}}}).empty());

  auto missing = make_container("ghost", sandbox.id);
  auto updated = write([&](WriteTxn& txn) { return txn.update_container(missing); });
  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().code, Errc::not_found);
}

TEST_F(RecordsTest, DuplicateNamesAreRefusedNamingTheField) {
  auto sandbox = make_sandbox("pod");
  ASSERT_TRUE(write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_sandbox(sandbox));
    return txn.insert_container(make_container("web", sandbox.id));
  }));
  auto again = write([&](WriteTxn& txn) { return txn.insert_container(make_container("web", sandbox.id)); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::already_exists);
  EXPECT_EQ(again.error().message, "container name \"web\" is already in use");

  auto pod_again = write([&](WriteTxn& txn) { return txn.insert_sandbox(make_sandbox("pod")); });
  ASSERT_FALSE(pod_again);
  EXPECT_EQ(pod_again.error().code, Errc::already_exists);
  EXPECT_EQ(pod_again.error().message, "sandbox name \"pod\" is already in use");
}

TEST_F(RecordsTest, LayerRoundTripAndList) {
  auto base = make_layer(id_with_prefix("aa"));
  auto child = make_layer(id_with_prefix("bb"), base.id);
  child.size_bytes = 1234567890123;
  ASSERT_TRUE(write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_layer(base));
    return txn.insert_layer(child);
  }));
  const auto got = store_->find_layer(child.id).value();
  EXPECT_EQ(got.id, child.id);
  EXPECT_EQ(got.parent, child.parent);
  EXPECT_EQ(got.size_bytes, child.size_bytes);
  EXPECT_EQ(got.created_at, child.created_at);
  EXPECT_EQ(store_->find_layer("sha256:" + base.id).value().id, base.id);
  EXPECT_EQ(store_->list_layers().value().size(), 2U);
  auto duplicate = write([&](WriteTxn& txn) { return txn.insert_layer(base); });
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, Errc::already_exists);
}

class ContainerFilterTest : public RecordsTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_);
    pod1_ = make_sandbox("pod1");
    pod2_ = make_sandbox("pod2");
    pod2_.isolation = Isolation::process;
    pod2_.labels = {{"tier", "back"}};
    ASSERT_TRUE(write([&](WriteTxn& txn) -> Result<void> {
      SILO_TRY(txn.insert_sandbox(pod1_));
      SILO_TRY(txn.insert_sandbox(pod2_));
      SILO_TRY(txn.insert_container(container("web", pod1_, ContainerState::running, Isolation::process,
                                              {{"app", "web"}, {"env", "prod"}})));
      SILO_TRY(txn.insert_container(container("api", pod1_, ContainerState::running, Isolation::hyperv,
                                              {{"app", "api"}, {"env", "prod"}})));
      SILO_TRY(txn.insert_container(container("job", pod2_, ContainerState::exited, Isolation::hostprocess,
                                              {{"env", "dev"}})));
      return txn.insert_container(container("tmp", pod2_, ContainerState::created, Isolation::process, {}));
    }));
  }
  ContainerRecord container(const std::string& name, const SandboxRecord& pod, ContainerState state,
                            Isolation isolation, StringMap labels) {
    auto record = make_container(name, pod.id);
    record.state = state;
    record.isolation = isolation;
    record.labels = std::move(labels);
    record.created_at = ++created_;
    return record;
  }
  SandboxRecord pod1_, pod2_;
  TimeNs created_ = 0;
};

TEST_F(ContainerFilterTest, EachFilterAlone) {
  EXPECT_THAT(container_names({}), ::testing::ElementsAre("web", "api", "job", "tmp"));  // creation order
  EXPECT_THAT(container_names({.state = ContainerState::running}), UnorderedElementsAre("web", "api"));
  EXPECT_THAT(container_names({.isolation = Isolation::process}), UnorderedElementsAre("web", "tmp"));
  EXPECT_THAT(container_names({.sandbox_id = pod2_.id}), UnorderedElementsAre("job", "tmp"));
  EXPECT_THAT(container_names({.name = "api"}), UnorderedElementsAre("api"));
  EXPECT_THAT(container_names({.labels = {{"env", std::nullopt}}}), UnorderedElementsAre("web", "api", "job"));
  EXPECT_THAT(container_names({.labels = {{"env", "prod"}}}), UnorderedElementsAre("web", "api"));
  EXPECT_TRUE(container_names({.labels = {{"env", "staging"}}}).empty());
  EXPECT_TRUE(container_names({.state = ContainerState::removing}).empty());
}

TEST_F(ContainerFilterTest, FiltersCombineWithAnd) {
  EXPECT_THAT(container_names({.state = ContainerState::running, .isolation = Isolation::hyperv}),
              UnorderedElementsAre("api"));
  EXPECT_THAT(container_names({.sandbox_id = pod1_.id, .labels = {{"app", "web"}, {"env", "prod"}}}),
              UnorderedElementsAre("web"));
  EXPECT_TRUE(container_names({.sandbox_id = pod2_.id, .labels = {{"env", "prod"}}}).empty());
  EXPECT_TRUE(container_names({.labels = {{"app", "web"}, {"app", "api"}}}).empty());
  EXPECT_THAT(container_names({.state = ContainerState::exited, .labels = {{"env", "dev"}}}),
              UnorderedElementsAre("job"));
}

TEST_F(ContainerFilterTest, SandboxFilters) {
  auto names = [&](const SandboxFilter& filter) {
    std::vector<std::string> out;
    for (const auto& record : store_->list_sandboxes(filter).value()) out.push_back(record.name);
    return out;
  };
  EXPECT_THAT(names({}), UnorderedElementsAre("pod1", "pod2"));
  EXPECT_THAT(names({.isolation = Isolation::hyperv}), UnorderedElementsAre("pod1"));
  EXPECT_THAT(names({.name = "pod2"}), UnorderedElementsAre("pod2"));
  EXPECT_THAT(names({.labels = {{"tier", std::nullopt}}}), UnorderedElementsAre("pod1", "pod2"));
  EXPECT_THAT(names({.labels = {{"tier", "back"}}}), UnorderedElementsAre("pod2"));
  EXPECT_THAT(names({.isolation = Isolation::process, .labels = {{"tier", "front"}}}), ::testing::IsEmpty());
}

}  // namespace
}  // namespace silo::testing
