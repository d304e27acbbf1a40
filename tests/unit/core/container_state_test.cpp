#include "core/model/container_state.h"

#include <gtest/gtest.h>

namespace silo {
namespace {

using O = ContainerOperation;
using S = ContainerState;

const ContainerRef kWeb{"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "web"};

// "action" or "action{key=value}" per event, so a test reads like docker's event stream.
OperationFacts exit_code(std::optional<int> code) {
  OperationFacts facts;
  facts.exit_code = code;
  return facts;
}

OperationFacts oom_exit(int code) {
  OperationFacts facts = exit_code(code);
  facts.oom_killed = true;
  return facts;
}

OperationFacts stopped(int signal, int code, bool escalated = false) {
  OperationFacts facts = exit_code(code);
  facts.signal = signal;
  facts.escalated_to_kill = escalated;
  return facts;
}

OperationFacts signal(int number) {
  OperationFacts facts;
  facts.signal = number;
  return facts;
}

OperationFacts readopt(bool still_running) {
  OperationFacts facts;
  facts.still_running = still_running;
  return facts;
}

std::vector<std::string> actions(const ContainerTransition& t) {
  std::vector<std::string> out;
  for (const auto& e : t.events) {
    EXPECT_EQ(e.type, "container");
    EXPECT_EQ(e.actor_id, kWeb.id);
    EXPECT_EQ(e.attributes.at("name"), "web");
    std::string text = e.action;
    for (const auto& [k, v] : e.attributes) {
      if (k != "name") text += "{" + k + "=" + v + "}";
    }
    out.push_back(text);
  }
  return out;
}

ContainerTransition plan(std::optional<S> from, O op, OperationFacts facts = {}) {
  auto t = plan_transition(kWeb, from, op, facts);
  EXPECT_TRUE(t) << t.error().message;
  return t ? t.value() : ContainerTransition{};
}

void expect_conflict(std::optional<S> from, O op, const std::string& message, Errc code = Errc::conflict) {
  auto t = plan_transition(kWeb, from, op);
  ASSERT_FALSE(t) << to_string(op);
  EXPECT_EQ(t.error().code, code);
  EXPECT_EQ(t.error().message, message);
}

using Actions = std::vector<std::string>;

TEST(ContainerState, LifecycleCreateStartExitRemove) {
  auto created = plan(std::nullopt, O::create);
  EXPECT_EQ(created.to, S::created);
  EXPECT_EQ(actions(created), Actions{"create"});

  auto started = plan(S::created, O::start);
  EXPECT_EQ(started.to, S::running);
  EXPECT_EQ(started.reason, "started");
  EXPECT_EQ(actions(started), Actions{"start"});

  auto exited = plan(S::running, O::exit, exit_code(3));
  EXPECT_EQ(exited.to, S::exited);
  EXPECT_EQ(exited.reason, "exited with exit code 3");
  EXPECT_EQ(actions(exited), Actions{"die{exitCode=3}"});

  auto removing = plan(S::exited, O::remove);
  EXPECT_EQ(removing.to, S::removing);
  EXPECT_TRUE(removing.events.empty());

  auto removed = plan(S::removing, O::finish_remove);
  EXPECT_FALSE(removed.to);
  EXPECT_EQ(actions(removed), Actions{"destroy"});
}

TEST(ContainerState, OutOfMemoryExitEmitsOomThenDie) {
  auto t = plan(S::running, O::exit, oom_exit(137));
  EXPECT_EQ(t.to, S::exited);
  EXPECT_EQ(t.reason, "killed for exceeding its memory limit (exit code 137)");
  EXPECT_EQ(actions(t), (Actions{"oom", "die{exitCode=137}"}));
}

TEST(ContainerState, StopEmitsDockersSequence) {
  auto graceful = plan(S::running, O::stop, stopped(15, 0));
  EXPECT_EQ(graceful.to, S::exited);
  EXPECT_EQ(graceful.reason, "stopped with SIGTERM (exit code 0)");
  EXPECT_EQ(actions(graceful), (Actions{"kill{signal=15}", "die{exitCode=0}", "stop"}));

  auto forced = plan(S::running, O::stop, stopped(15, 137, true));
  EXPECT_EQ(forced.reason, "stopped with SIGTERM, then SIGKILL after the timeout (exit code 137)");
  EXPECT_EQ(actions(forced), (Actions{"kill{signal=15}", "kill{signal=9}", "die{exitCode=137}", "stop"}));
}

TEST(ContainerState, StoppingAStoppedContainerIsANoOp) {
  EXPECT_TRUE(plan(S::exited, O::stop).changes_nothing());
  EXPECT_TRUE(plan(S::created, O::stop).changes_nothing());
  EXPECT_FALSE(plan(S::running, O::stop, exit_code(0)).changes_nothing());
}

TEST(ContainerState, KillSignalsWithoutChangingStateUntilTheExitArrives) {
  auto t = plan(S::running, O::kill, signal(10));
  EXPECT_EQ(t.to, S::running);
  EXPECT_EQ(t.reason, "sent SIGUSR1");
  EXPECT_EQ(actions(t), Actions{"kill{signal=10}"});
}

TEST(ContainerState, RestartFromEveryStoppedOrRunningState) {
  auto running = plan(S::running, O::restart, stopped(15, 143));
  EXPECT_EQ(running.to, S::running);
  EXPECT_EQ(actions(running), (Actions{"kill{signal=15}", "die{exitCode=143}", "stop", "start", "restart"}));
  for (S from : {S::created, S::exited}) {
    auto t = plan(from, O::restart);
    EXPECT_EQ(t.to, S::running);
    EXPECT_EQ(actions(t), (Actions{"start", "restart"}));
  }
}

TEST(ContainerState, ForceRemoveKillsARunningContainerAndItsExitIsStillRecorded) {
  auto forced = plan(S::running, O::force_remove);
  EXPECT_EQ(forced.to, S::removing);
  EXPECT_EQ(actions(forced), Actions{"kill{signal=9}"});
  auto died = plan(S::removing, O::exit, exit_code(137));
  EXPECT_EQ(died.to, S::removing);
  EXPECT_EQ(actions(died), Actions{"die{exitCode=137}"});
  EXPECT_EQ(actions(plan(S::removing, O::finish_remove)), Actions{"destroy"});
  EXPECT_TRUE(plan(S::exited, O::force_remove).events.empty());
}

TEST(ContainerState, DaemonRestartReadoptsOrRecordsTheExit) {
  auto alive = plan(S::running, O::readopt, readopt(true));
  EXPECT_EQ(alive.to, S::running);
  EXPECT_TRUE(alive.events.empty());
  auto gone = plan(S::running, O::readopt, readopt(false));
  EXPECT_EQ(gone.to, S::exited);
  EXPECT_EQ(gone.reason, "exited while the daemon was down (exit code 255)");
  EXPECT_EQ(actions(gone), Actions{"die{exitCode=255}"});
  for (S from : {S::created, S::exited, S::removing}) EXPECT_TRUE(plan(from, O::readopt).changes_nothing());
}

TEST(ContainerState, ConflictsNameTheStateAndWhatToDo) {
  expect_conflict(S::running, O::remove, "container web is running; stop it first or use force");
  expect_conflict(S::running, O::start, "container web is running; it is already started");
  expect_conflict(S::removing, O::start, "container web is removing; it is being removed");
  expect_conflict(S::removing, O::remove, "container web is removing; it is already being removed");
  expect_conflict(S::removing, O::force_remove, "container web is removing; it is already being removed");
  expect_conflict(S::removing, O::stop, "container web is removing; it is being removed");
  expect_conflict(S::removing, O::restart, "container web is removing; it is being removed");
  expect_conflict(S::exited, O::kill, "container web is exited; start it first");
  expect_conflict(S::created, O::kill, "container web is created; start it first");
  expect_conflict(S::exited, O::exit, "container web is exited; its exit is already recorded");
  expect_conflict(S::created, O::exit, "container web is created; it has not been started");
  expect_conflict(S::running, O::finish_remove, "container web is running; remove it first");
  expect_conflict(S::created, O::create, "container web already exists (created)", Errc::already_exists);
  expect_conflict(std::nullopt, O::start, "no container web", Errc::not_found);
}

TEST(ContainerState, EveryOperationFromEveryStateIsDecided) {
  // The whole table: an allowed operation yields a transition, a refused one a message with the state.
  const S states[] = {S::created, S::running, S::exited, S::removing};
  const O ops[] = {O::start,  O::exit,         O::stop,          O::kill,   O::restart,
                   O::remove, O::force_remove, O::finish_remove, O::readopt};
  int allowed = 0;
  for (S s : states) {
    for (O op : ops) {
      auto t = plan_transition(kWeb, s, op, exit_code(0));
      if (t) {
        ++allowed;
        EXPECT_EQ(t.value().from, s);
      } else {
        EXPECT_NE(t.error().message.find("is " + std::string(to_string(s)) + ";"), std::string::npos)
            << t.error().message;
      }
    }
  }
  EXPECT_EQ(allowed, 21);
}

TEST(ContainerState, UnnamedContainersAreNamedByShortId) {
  auto t = plan_transition({kWeb.id, ""}, S::running, O::remove);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().message, "container 0123456789ab is running; stop it first or use force");
  EXPECT_EQ(to_string(O::force_remove), "force-remove");
}

}  // namespace
}  // namespace silo
