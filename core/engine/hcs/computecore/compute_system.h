// A compute system (container or utility VM) driven through computecore.dll. Owns its HCS_SYSTEM
// handle and its event registration: the destructor closes the handle (HCS drains in-flight
// callbacks and sends no final event) and then drops the registration. Every call has a deadline.
// Shutdown is a graceful stop and terminate a hard one, as in hcsshim; both treat "already
// stopped" and "not found" as done. Exits and crashes arrive through the EventHandler.
#pragma once

#include "core/clock.h"
#include "core/engine/backend.h"
#include "core/engine/hcs/computecore/callback_registry.h"
#include "core/engine/hcs/computecore/compute_core_api.h"
#include "core/engine/hcs/computecore/compute_process.h"

#include <chrono>
#include <memory>
#include <string>

namespace silo::hcs::computecore {

// hcsshim's defaults (internal/timeout): four minutes for create and start.
struct Deadlines {
  std::chrono::milliseconds create{std::chrono::minutes(4)};
  std::chrono::milliseconds start{std::chrono::minutes(4)};
  std::chrono::milliseconds stop{std::chrono::minutes(1)};
  std::chrono::milliseconds query{std::chrono::minutes(1)};
};

class ComputeSystem {
 public:
  // HcsCreateComputeSystem with `document` (a ComputeSystem JSON), then the event callback. A
  // failure after the create terminates and closes what was made.
  static Result<ComputeSystem> create(std::shared_ptr<const ComputeCoreApi> api, const std::string& id,
                                      const std::string& document, EventHandler on_event, Deadlines deadlines = {});
  // An existing system (after a daemon restart).
  static Result<ComputeSystem> open(std::shared_ptr<const ComputeCoreApi> api, const std::string& id,
                                    EventHandler on_event, Deadlines deadlines = {});

  ComputeSystem(ComputeSystem&& other) noexcept;
  ComputeSystem& operator=(ComputeSystem&& other) = delete;
  ComputeSystem(const ComputeSystem&) = delete;
  ~ComputeSystem();

  Result<void> start();
  Result<void> shutdown();
  Result<void> terminate();
  Result<std::string> properties(const std::string& query);
  Result<engine::ContainerStats> statistics(TimeNs read_at);
  // A ModifySettingRequest document (hot-add a share, a disk, change a limit).
  Result<void> modify(const std::string& request);
  // HcsCreateProcess with ProcessParameters JSON; exits arrive through `on_event`.
  Result<ComputeProcess> create_process(const std::string& parameters, EventHandler on_event);

  const std::string& id() const { return id_; }

 private:
  ComputeSystem(std::shared_ptr<const ComputeCoreApi> api, std::string id, HCS_SYSTEM handle, Deadlines deadlines)
      : api_(std::move(api)), id_(std::move(id)), handle_(handle), deadlines_(deadlines) {}
  Result<void> watch(EventHandler on_event);
  Result<void> stop(bool graceful);

  std::shared_ptr<const ComputeCoreApi> api_;
  std::string id_;
  HCS_SYSTEM handle_ = nullptr;
  std::uintptr_t callback_id_ = 0;
  Deadlines deadlines_;
};

}  // namespace silo::hcs::computecore
