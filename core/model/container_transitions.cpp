// The transition each allowed operation makes, with its reason and docker-named events.
#include "core/model/container_state.h"
#include "core/model/stop_signal.h"

namespace silo {
namespace {

using S = ContainerState;

class Planner {
 public:
  Planner(const ContainerRef& container, std::optional<S> from, const OperationFacts& facts)
      : container_(container), facts_(facts) {
    transition_.from = from;
    transition_.to = from;
  }

  Planner& to(std::optional<S> state) {
    transition_.to = state;
    return *this;
  }
  Planner& reason(std::string text) {
    transition_.reason = std::move(text);
    return *this;
  }
  Planner& event(std::string action, StringMap extra = {}) {
    if (!container_.name.empty()) extra["name"] = container_.name;
    transition_.events.push_back({"container", std::move(action), container_.id, std::move(extra)});
    return *this;
  }
  Planner& kill_event(int signal) { return event("kill", {{"signal", std::to_string(signal)}}); }
  Planner& die_event() { return event("die", {{"exitCode", std::to_string(exit_code())}}); }

  int exit_code() const { return facts_.exit_code.value_or(kUnknownExitCode); }
  std::string exit_text() const { return "exit code " + std::to_string(exit_code()); }
  ContainerTransition done() { return std::move(transition_); }

 private:
  const ContainerRef& container_;
  const OperationFacts& facts_;
  ContainerTransition transition_;
};

// kill{signal}, [kill{SIGKILL}], die, stop: what docker emits for a stop of a running container.
void add_stop_events(Planner& plan, const OperationFacts& facts) {
  plan.kill_event(facts.signal);
  if (facts.escalated_to_kill) plan.kill_event(9);
  plan.die_event().event("stop");
}

std::string stop_reason(const Planner& plan, const OperationFacts& facts) {
  std::string how = signal_name(facts.signal);
  if (facts.escalated_to_kill) how += ", then SIGKILL after the timeout";
  return "stopped with " + how + " (" + plan.exit_text() + ")";
}

ContainerTransition plan_exit(Planner& plan, const OperationFacts& facts, S from) {
  if (facts.oom_killed) plan.event("oom");
  plan.die_event();
  if (from == S::removing) return plan.reason("exited with " + plan.exit_text() + " during removal").done();
  std::string why = facts.oom_killed ? "killed for exceeding its memory limit (" + plan.exit_text() + ")"
                                     : "exited with " + plan.exit_text();
  return plan.to(S::exited).reason(why).done();
}

ContainerTransition plan_restart(Planner& plan, const OperationFacts& facts, S from) {
  if (from == S::running) add_stop_events(plan, facts);
  return plan.event("start").event("restart").to(S::running).reason("restarted").done();
}

ContainerTransition plan_readopt(Planner& plan, const OperationFacts& facts, S from) {
  if (from != S::running) return plan.done();
  if (facts.still_running) return plan.reason("re-adopted after a daemon restart").done();
  return plan.die_event().to(S::exited).reason("exited while the daemon was down (" + plan.exit_text() + ")").done();
}

ContainerTransition plan_allowed(Planner& plan, ContainerOperation op, const OperationFacts& facts,
                                 std::optional<S> from) {
  using O = ContainerOperation;
  switch (op) {
    case O::create:
      return plan.event("create").to(S::created).reason("created").done();
    case O::start:
      return plan.event("start").to(S::running).reason("started").done();
    case O::exit:
      return plan_exit(plan, facts, *from);
    case O::stop:
      if (from != S::running) return plan.done();
      add_stop_events(plan, facts);
      return plan.to(S::exited).reason(stop_reason(plan, facts)).done();
    case O::kill:
      return plan.kill_event(facts.signal).reason("sent " + signal_name(facts.signal)).done();
    case O::restart:
      return plan_restart(plan, facts, *from);
    case O::remove:
      return plan.to(S::removing).reason("removal requested").done();
    case O::force_remove:
      if (from == S::running) plan.kill_event(9);
      return plan.to(S::removing).reason("forced removal requested").done();
    case O::finish_remove:
      return plan.event("destroy").to(std::nullopt).reason("removed").done();
    case O::readopt:
      return plan_readopt(plan, facts, *from);
  }
  return plan.done();
}

}  // namespace

Result<ContainerTransition> plan_transition(const ContainerRef& container, std::optional<ContainerState> current,
                                            ContainerOperation operation, const OperationFacts& facts) {
  SILO_TRY(check_operation(container, current, operation));
  Planner plan(container, current, facts);
  return plan_allowed(plan, operation, facts, current);
}

}  // namespace silo
