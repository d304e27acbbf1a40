// The container state machine: which operation may run in which state, the state it leads to, the
// reason recorded with it, and the events (docker's action names) it appends. Pure: the service
// checks an operation before calling the backend and records the planned transition with its
// events in one store transaction after the backend has done its part.
//
//   operation       from                       to          events
//   create          (none)                     created     create
//   start           created, exited            running     start
//   exit            running                    exited      [oom], die{exitCode}
//                   removing                   removing    [oom], die{exitCode}
//   stop            running                    exited      kill{signal}, [kill{9}], die{exitCode}, stop
//                   created, exited            unchanged   (none; stopping a stopped container is a no-op)
//   kill            running                    running     kill{signal}   (the exit arrives as `exit`)
//   restart         running                    running     kill, die, stop, start, restart
//                   created, exited            running     start, restart
//   remove          created, exited            removing    (none)
//   force_remove    created, exited            removing    (none)
//                   running                    removing    kill{9}        (the exit arrives as `exit`)
//   finish_remove   removing                   (deleted)   destroy
//   readopt         running, still alive       running     (none)
//                   running, gone              exited      die{exitCode}
//                   created, exited, removing  unchanged   (none; a removing container's removal resumes)
//
// Anything else is conflict, and the message names the container, its state and what to do.
#pragma once

#include "core/errors.h"
#include "core/model/records.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace silo {

enum class ContainerOperation {
  create,
  start,
  exit,
  stop,
  kill,
  restart,
  remove,
  force_remove,
  finish_remove,
  readopt
};
std::string_view to_string(ContainerOperation operation) noexcept;

struct ContainerRef {
  std::string id;
  std::string name;
};

// What the backend reported for the operation, where it matters.
struct OperationFacts {
  std::optional<int> exit_code;    // exit, stop, restart of a running container, readopt of a gone one
  bool oom_killed = false;         // exit: the memory limit killed it
  int signal = 15;                 // stop, kill, restart: the signal sent first
  bool escalated_to_kill = false;  // stop, restart: the timeout passed and SIGKILL followed
  bool still_running = false;      // readopt: the backend found the process alive
};

// Exit code recorded when the real one could not be learned (docker uses the same).
inline constexpr int kUnknownExitCode = 255;

struct ContainerTransition {
  std::optional<ContainerState> from;  // nullopt for create
  std::optional<ContainerState> to;    // nullopt: the record is deleted
  std::string reason;                  // for ContainerRecord::state_reason
  std::vector<EventDraft> events;      // in the order they happened

  // True for the no-op cases (stop of a stopped container, readopt of an unchanged one): nothing
  // to record.
  bool changes_nothing() const { return events.empty() && from == to; }
};

// Whether `operation` may run on a container in state `current` (nullopt: no such container yet).
// conflict otherwise, e.g. "container web is running; stop it first or use force".
Result<void> check_operation(const ContainerRef& container, std::optional<ContainerState> current,
                             ContainerOperation operation);

// check_operation, then the transition with its reason and events.
Result<ContainerTransition> plan_transition(const ContainerRef& container, std::optional<ContainerState> current,
                                            ContainerOperation operation, const OperationFacts& facts = {});

}  // namespace silo
