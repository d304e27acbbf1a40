// adopt() for a container whose process a monitor owns (runc, hostprocess, job objects): the order
// of looks that keeps a restarted silod from calling an ended container running or a running one
// lost. Writing exit.json is a monitor's last act, so the record is read before asking whether the
// monitor lives (one on its way out has ended its container), and again after (it may have
// finished between the two looks); only a monitor gone without a record leaves the exit lost.
#pragma once

#include "core/engine/backend.h"

#include <filesystem>
#include <functional>

namespace silo::engine::monitor {

struct MonitoredContainer {
  BackendHandle handle;               // returned as the outcome's handle
  std::filesystem::path state_dir;    // where the monitor writes exit.json
  std::function<bool()> monitor_alive;
  // The monitor lives: watch it (and the container's execs) again.
  std::function<Result<void>()> watch_again;
  // The monitor died without a record: end what it left behind (none: nothing to end).
  std::function<void()> end_leftovers;
};

// running, or the recorded exit, or exit code -1 with "lost while silod was down: the monitor
// ended without recording an exit". An error only when watch_again fails.
Result<AdoptOutcome> adopt_monitored(const MonitoredContainer& container);

}  // namespace silo::engine::monitor
