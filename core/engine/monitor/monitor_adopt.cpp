#include "core/engine/monitor/monitor_adopt.h"

#include "core/engine/monitor/monitor_files.h"

namespace silo::engine::monitor {

Result<AdoptOutcome> adopt_monitored(const MonitoredContainer& container) {
  AdoptOutcome outcome;
  outcome.handle = container.handle;
  outcome.exit = recorded_exit(container.state_dir);
  if (outcome.exit) return outcome;
  if (container.monitor_alive()) {
    SILO_TRY(container.watch_again());
    outcome.running = true;
    return outcome;
  }
  outcome.exit = recorded_exit(container.state_dir);
  if (outcome.exit) return outcome;
  if (container.end_leftovers) container.end_leftovers();
  ExitStatus lost;
  lost.exit_code = -1;
  lost.reason = "lost while silod was down: the monitor ended without recording an exit";
  outcome.exit = lost;
  return outcome;
}

}  // namespace silo::engine::monitor
