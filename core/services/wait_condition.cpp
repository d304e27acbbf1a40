#include "core/services/wait_condition.h"

namespace silo::services {

Result<WaitCondition> parse_wait_condition(std::string_view text) {
  if (text.empty() || text == "not-running") return WaitCondition::not_running;
  if (text == "next-exit") return WaitCondition::next_exit;
  if (text == "removed") return WaitCondition::removed;
  return make_error(Errc::invalid_argument, "condition \"" + std::string(text) +
                                                "\" is not one of not-running, next-exit, removed");
}

WaitStart wait_start(const ContainerRecord& record) { return WaitStart{record.finished_at}; }

std::optional<WaitOutcome> wait_satisfied(WaitCondition condition, const WaitStart& start,
                                          const std::optional<ContainerRecord>& current,
                                          std::optional<int> last_known_exit_code) {
  if (!current) return WaitOutcome{last_known_exit_code.value_or(0)};  // gone: every condition is over
  const auto& record = *current;
  const int code = record.exit_code.value_or(0);
  switch (condition) {
    case WaitCondition::not_running:
      // A created container has not run yet: like docker, waiting for it means waiting for its exit.
      if (record.state == ContainerState::exited) return WaitOutcome{code};
      return std::nullopt;
    case WaitCondition::next_exit:
      if (record.state == ContainerState::exited && record.finished_at != start.finished_at) return WaitOutcome{code};
      return std::nullopt;
    case WaitCondition::removed:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace silo::services
