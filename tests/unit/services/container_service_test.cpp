// The container service against a real SQLite store in a temp dir and a FakeBackend: what a user
// of the API would notice (states, exit codes, events, refusals, nothing left behind).
#include "core/services/container_service.h"
#include "core/services/exec_service.h"
#include "core/services/sandbox_service.h"
#include "storage/sqlite/metadata_store.h"
#include "tests/unit/services/fake_backend.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <thread>

namespace silo {
namespace {

using namespace std::chrono_literals;

const Identity kAdmin{"uid 0", Role::admin};

class ContainerServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("silo-services-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    open();
  }
  void TearDown() override {
    sandboxes.reset();
    execs.reset();
    service.reset();
    store.reset();
    std::filesystem::remove_all(dir_);
  }

  void open() {
    auto opened = open_metadata_store(StoreOptions{dir_ / "silo.db", clock_});
    ASSERT_TRUE(opened) << opened.error().message;
    store = std::shared_ptr<MetadataStore>(std::move(*opened));
    auto engine = std::make_shared<engine::Engine>();
    engine->register_backend(backend);
    services::ServiceOptions options;
    options.data_root = dir_;
    options.kill_wait = 5000ms;
    service = std::make_shared<services::ContainerService>(store, engine, clock_ptr(), options);
    sandboxes = std::make_shared<services::SandboxService>(store, engine, clock_ptr(), service);
    execs = std::make_shared<services::ExecService>(service);
    service->attach_to_backends();
  }

  std::shared_ptr<const Clock> clock_ptr() { return std::shared_ptr<const Clock>(std::shared_ptr<void>(), &clock_); }

  static ContainerSpec hostprocess_spec(std::string name = "web") {
    ContainerSpec spec;
    spec.name = std::move(name);
    spec.isolation = Isolation::hostprocess;
    spec.command = {"/bin/sleep", "60"};
    return spec;
  }

  ContainerRecord must_create(ContainerSpec spec) {
    auto created = service->create(std::move(spec), admin);
    EXPECT_TRUE(created) << created.error().message;
    return created ? *created : ContainerRecord{};
  }

  ContainerRecord must_get(const std::string& ref) {
    auto record = service->get(ref);
    EXPECT_TRUE(record) << record.error().message;
    return record ? *record : ContainerRecord{};
  }

  // Waits (bounded) until the exit worker recorded the container as no longer running.
  ContainerRecord await_exited(const std::string& id) {
    auto code = service->wait(id, services::WaitCondition::not_running, 5000ms);
    EXPECT_TRUE(code) << code.error().message;
    return must_get(id);
  }

  std::vector<std::string> actions_of(const std::string& actor) {
    EventQuery query;
    query.actor_ids = {actor};
    auto events = store->list_events(query);
    std::vector<std::string> out;
    if (events)
      for (const auto& event : *events) out.push_back(event.action);
    return out;
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  std::shared_ptr<testing::FakeBackend> backend = std::make_shared<testing::FakeBackend>();
  std::shared_ptr<MetadataStore> store;
  std::shared_ptr<services::ContainerService> service;
  std::shared_ptr<services::SandboxService> sandboxes;
  std::shared_ptr<services::ExecService> execs;
  Identity admin{"uid 0", Role::admin};
};

TEST_F(ContainerServiceTest, CreateStartExitRecordsEachStateAndEvent) {
  auto created = must_create(hostprocess_spec());
  EXPECT_EQ(created.state, ContainerState::created);
  EXPECT_EQ(created.isolation, Isolation::hostprocess);

  // The implicit sandbox is marked HostProcess, as the container is.
  auto sandbox = store->find_sandbox(created.sandbox_id);
  ASSERT_TRUE(sandbox);
  EXPECT_EQ(sandbox->annotations["microsoft.com/hostprocess-container"], "true");

  auto started = service->start("web", kAdmin);
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_EQ(started->state, ContainerState::running);
  EXPECT_TRUE(started->started_at.has_value());

  backend->exit(created.id, 3);
  auto exited = await_exited(created.id);
  EXPECT_EQ(exited.state, ContainerState::exited);
  EXPECT_EQ(exited.exit_code, 3);
  EXPECT_TRUE(exited.finished_at.has_value());
  EXPECT_EQ(exited.state_reason, "exited with exit code 3");
  EXPECT_EQ(actions_of(created.id), (std::vector<std::string>{"create", "start", "die"}));
}

TEST_F(ContainerServiceTest, OomExitAddsOomEventBeforeDie) {
  auto created = must_create(hostprocess_spec());
  ASSERT_TRUE(service->start(created.id, kAdmin));
  backend->exit(created.id, 137, true);
  auto exited = await_exited(created.id);
  EXPECT_EQ(exited.exit_code, 137);
  EXPECT_NE(exited.state_reason.find("memory limit"), std::string::npos);
  EXPECT_EQ(actions_of(created.id), (std::vector<std::string>{"create", "start", "oom", "die"}));
}

TEST_F(ContainerServiceTest, BackendCreateFailureLeavesNoRowsAndNoBackendState) {
  backend->fail_create = true;
  auto created = service->create(hostprocess_spec(), admin);
  ASSERT_FALSE(created);
  EXPECT_NE(created.error().message.find("does not exist"), std::string::npos);
  EXPECT_TRUE(store->list_containers({})->empty());
  EXPECT_TRUE(store->list_sandboxes({})->empty());
  EXPECT_TRUE(backend->live.empty());
  // The name is free again.
  backend->fail_create = false;
  must_create(hostprocess_spec());
}

TEST_F(ContainerServiceTest, OnlyAdminMayCreateHostProcessContainers) {
  auto refused = service->create(hostprocess_spec(), Identity{"uid 1000", Role::operator_});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::permission_denied);
  EXPECT_TRUE(store->list_containers({})->empty());
  EXPECT_TRUE(store->list_sandboxes({})->empty());
  EXPECT_TRUE(backend->calls_snapshot().empty());
}

TEST_F(ContainerServiceTest, ProcessIsolationWithoutBackendIsRefusedWithReason) {
  auto spec = hostprocess_spec();
  spec.isolation = Isolation::process;
  auto refused = service->create(spec, admin);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::failed_precondition);
  EXPECT_NE(refused.error().message.find("process isolation is not available"), std::string::npos);
  EXPECT_TRUE(store->list_sandboxes({})->empty());
}

TEST_F(ContainerServiceTest, DuplicateNameAndMissingMountAreRefusedWithoutLeftovers) {
  must_create(hostprocess_spec());
  auto duplicate = service->create(hostprocess_spec(), admin);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, Errc::already_exists);
  auto spec = hostprocess_spec("other");
  spec.mounts.push_back({(dir_ / "no-such-dir").string(), "/data", false});
  auto missing = service->create(spec, admin);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);
  EXPECT_EQ(store->list_containers({})->size(), 1u);
  EXPECT_EQ(store->list_sandboxes({})->size(), 1u);
}

TEST_F(ContainerServiceTest, WrongStateIsConflictNamingTheState) {
  auto created = must_create(hostprocess_spec());
  ASSERT_TRUE(service->start(created.id, kAdmin));
  auto again = service->start(created.id, kAdmin);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::conflict);
  EXPECT_NE(again.error().message.find("running"), std::string::npos);
  auto removed = service->remove(created.id, false);
  ASSERT_FALSE(removed);
  EXPECT_NE(removed.error().message.find("running"), std::string::npos);
}

TEST_F(ContainerServiceTest, StopEscalatesToTerminateWhenTheSignalIsIgnored) {
  backend->ignore_stop_signal = true;
  auto created = must_create(hostprocess_spec());
  ASSERT_TRUE(service->start(created.id, kAdmin));
  auto stopped = service->stop(created.id, 1);
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_EQ(stopped->state, ContainerState::exited);
  EXPECT_EQ(stopped->exit_code, 137);
  EXPECT_NE(stopped->state_reason.find("SIGKILL"), std::string::npos);
  EXPECT_TRUE(backend->was_called("terminate " + created.id));
  EXPECT_EQ(actions_of(created.id), (std::vector<std::string>{"create", "start", "kill", "kill", "die", "stop"}));
}

TEST_F(ContainerServiceTest, StopThatIsHonouredNeedsNoTerminate) {
  auto created = must_create(hostprocess_spec());
  ASSERT_TRUE(service->start(created.id, kAdmin));
  auto stopped = service->stop(created.id, 30);
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_EQ(stopped->exit_code, 143);
  EXPECT_FALSE(backend->was_called("terminate " + created.id));
  // Stopping a stopped container changes nothing.
  auto again = service->stop(created.id, 30);
  ASSERT_TRUE(again);
  EXPECT_EQ(actions_of(created.id), (std::vector<std::string>{"create", "start", "kill", "die", "stop"}));
}

// docker's order for a restart of a running container: kill, die, stop, start, restart.
TEST_F(ContainerServiceTest, RestartOfARunningContainerRecordsDockersEventsInOrder) {
  auto created = must_create(hostprocess_spec());
  ASSERT_TRUE(service->start(created.id, kAdmin));
  auto restarted = service->restart(created.id, 30, kAdmin);
  ASSERT_TRUE(restarted) << restarted.error().message;
  EXPECT_EQ(restarted->state, ContainerState::running);
  EXPECT_EQ(restarted->state_reason, "restarted");
  EXPECT_EQ(actions_of(created.id),
            (std::vector<std::string>{"create", "start", "kill", "die", "stop", "start", "restart"}));
  EXPECT_EQ(backend->calls_snapshot().back(), "start " + created.id);
}

TEST_F(ContainerServiceTest, RestartOfACreatedContainerRecordsStartAndRestartOnly) {
  auto created = must_create(hostprocess_spec());
  auto restarted = service->restart(created.id, 30, kAdmin);
  ASSERT_TRUE(restarted) << restarted.error().message;
  EXPECT_EQ(restarted->state, ContainerState::running);
  EXPECT_EQ(actions_of(created.id), (std::vector<std::string>{"create", "start", "restart"}));
}

TEST_F(ContainerServiceTest, WaitOnCreatedContainerReturnsItsExitCode) {
  auto created = must_create(hostprocess_spec());
  auto waiting = std::async(std::launch::async,
                            [&] { return service->wait_from(created, services::WaitCondition::not_running, 10000ms); });
  ASSERT_TRUE(service->start(created.id, kAdmin));
  backend->exit(created.id, 4);
  auto code = waiting.get();
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(*code, 4);
}

TEST_F(ContainerServiceTest, NextExitWaitsForALaterExitAndRemovedForRemoval) {
  auto created = must_create(hostprocess_spec());
  ASSERT_TRUE(service->start(created.id, kAdmin));
  backend->exit(created.id, 1);
  await_exited(created.id);
  const auto seen = must_get(created.id);  // the waits count from here, as a wait request's first read does
  auto next = std::async(std::launch::async,
                         [&] { return service->wait_from(seen, services::WaitCondition::next_exit, 10000ms); });
  auto removed = std::async(std::launch::async,
                            [&] { return service->wait_from(seen, services::WaitCondition::removed, 10000ms); });
  ASSERT_TRUE(service->start(created.id, kAdmin));
  backend->exit(created.id, 2);
  ASSERT_TRUE(next.get());
  EXPECT_EQ(must_get(created.id).exit_code, 2);
  ASSERT_TRUE(service->remove(created.id, false));
  auto code = removed.get();
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(*code, 2);
}

TEST_F(ContainerServiceTest, ForceRemoveEndsTheContainerAndItsImplicitSandbox) {
  auto created = must_create(hostprocess_spec());
  ASSERT_TRUE(service->start(created.id, kAdmin));
  auto removed = service->remove(created.id, true);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_FALSE(store->find_container(created.id));
  EXPECT_FALSE(store->find_sandbox(created.sandbox_id));
  EXPECT_TRUE(backend->live.empty());
  EXPECT_EQ(actions_of(created.id), (std::vector<std::string>{"create", "start", "kill", "die", "destroy"}));
}

TEST_F(ContainerServiceTest, SandboxRemovalIsRefusedWhileAContainerRunsUnlessForced) {
  SandboxSpec spec;
  spec.name = "pod";
  spec.annotations["microsoft.com/hostprocess-container"] = "true";
  auto sandbox = sandboxes->create(spec);
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  auto container_spec = hostprocess_spec();
  container_spec.sandbox = "pod";
  auto created = must_create(container_spec);
  EXPECT_EQ(created.sandbox_id, sandbox->id);
  ASSERT_TRUE(service->start(created.id, kAdmin));
  auto refused = sandboxes->remove("pod", false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::conflict);
  ASSERT_TRUE(sandboxes->remove("pod", true));
  EXPECT_TRUE(store->list_sandboxes({})->empty());
  EXPECT_TRUE(store->list_containers({})->empty());
}

TEST_F(ContainerServiceTest, AdoptKeepsLiveContainersAndRecordsExitsThatHappenedMeanwhile) {
  auto alive = must_create(hostprocess_spec("alive"));
  auto gone = must_create(hostprocess_spec("gone"));
  auto lost = must_create(hostprocess_spec("lost"));
  for (const auto& c : {alive, gone, lost}) ASSERT_TRUE(service->start(c.id, kAdmin));
  // A new daemon over the same database.
  service.reset();
  sandboxes.reset();
  execs.reset();
  backend = std::make_shared<testing::FakeBackend>();
  backend->adopt_outcomes[alive.id] = engine::AdoptOutcome{true, std::nullopt, alive.id};
  engine::ExitStatus exit;
  exit.exit_code = 3;
  exit.finished_at = 1'700'000'000'000'000'000;
  backend->adopt_outcomes[gone.id] = engine::AdoptOutcome{false, exit, gone.id};
  store.reset();
  open();
  auto report = service->adopt_all();
  EXPECT_EQ(report.still_running, 1);
  EXPECT_EQ(report.exited_meanwhile, 2);
  EXPECT_EQ(must_get("alive").state, ContainerState::running);
  auto gone_now = must_get("gone");
  EXPECT_EQ(gone_now.state, ContainerState::exited);
  EXPECT_EQ(gone_now.exit_code, 3);
  EXPECT_EQ(gone_now.finished_at, exit.finished_at);
  EXPECT_EQ(actions_of(gone.id).back(), "die");
  EXPECT_EQ(must_get("lost").exit_code, kUnknownExitCode);
  // The adopted one is watched again: its exit is recorded.
  backend->exit(alive.id, 0);
  EXPECT_EQ(await_exited(alive.id).exit_code, 0);
}

TEST_F(ContainerServiceTest, ExecRecordsItsExitCode) {
  auto created = must_create(hostprocess_spec());
  auto refused = execs->create(created.id, {{"/bin/true"}, {}, "", ""});
  ASSERT_FALSE(refused);  // not running yet
  ASSERT_TRUE(service->start(created.id, kAdmin));
  auto exec = execs->create(created.id, {{"/bin/true"}, {}, "", ""});
  ASSERT_TRUE(exec) << exec.error().message;
  ASSERT_TRUE(execs->start(exec->id));
  // The fake exits the exec at once with 7; the exit worker records it.
  services::BlockingWatch watch(*execs->notifier(), exec->id);
  for (int i = 0; i < 50 && !execs->get(exec->id)->exit_code; ++i) watch.wait_for(100ms);
  EXPECT_EQ(execs->get(exec->id)->exit_code, 7);
  EXPECT_FALSE(execs->get(exec->id)->running);
}

}  // namespace
}  // namespace silo
