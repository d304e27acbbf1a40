// The conditions POST /v1/containers/{id}/wait accepts (docker's), and the pure decision whether
// one is met by a container's current record. The caller watches the container (ChangeNotifier),
// re-reads its record on each change and asks here.
#pragma once

#include "core/clock.h"
#include "core/errors.h"
#include "core/model/records.h"

#include <optional>
#include <string_view>

namespace silo::services {

enum class WaitCondition { not_running, next_exit, removed };

// "not-running" (the default when empty), "next-exit", "removed"; invalid_argument otherwise.
Result<WaitCondition> parse_wait_condition(std::string_view text);

// What the record looked like when the wait began: next-exit waits for a later finish.
struct WaitStart {
  std::optional<TimeNs> finished_at;
};
WaitStart wait_start(const ContainerRecord& record);

struct WaitOutcome {
  int exit_code = 0;
};

// `current` is the record now, or nullopt when the container no longer exists. Returns the
// outcome when the condition is met, nullopt to keep waiting.
std::optional<WaitOutcome> wait_satisfied(WaitCondition condition, const WaitStart& start,
                                          const std::optional<ContainerRecord>& current,
                                          std::optional<int> last_known_exit_code);

}  // namespace silo::services
