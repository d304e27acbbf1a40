// Sandboxes: create, list, inspect, remove. A process sandbox on Linux is the host itself and
// needs no holder process (the runc backend adds a pause-like holder later); a hyperv sandbox
// needs a hyperv backend, and is refused with the backend's own reason where there is none.
#pragma once

#include "core/clock.h"
#include "core/engine/engine.h"
#include "core/model/sandbox_spec.h"
#include "core/services/container_service.h"
#include "core/store/metadata_store.h"

#include <memory>

namespace silo::services {

class SandboxService {
 public:
  SandboxService(std::shared_ptr<MetadataStore> store, std::shared_ptr<engine::Engine> engine,
                 std::shared_ptr<const Clock> clock, std::shared_ptr<ContainerService> containers)
      : store_(std::move(store)), engine_(std::move(engine)), clock_(std::move(clock)), containers_(std::move(containers)) {}

  Result<SandboxRecord> create(SandboxSpec spec);
  Result<SandboxRecord> get(std::string_view ref) { return store_->find_sandbox(ref); }
  Result<std::vector<SandboxRecord>> list(const SandboxFilter& filter) { return store_->list_sandboxes(filter); }
  // Refused while a container in it runs, unless force (which removes those containers first).
  // Containers that are not running are removed with it, as `podman pod rm` does.
  Result<void> remove(std::string_view ref, bool force);

 private:
  std::shared_ptr<MetadataStore> store_;
  std::shared_ptr<engine::Engine> engine_;
  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<ContainerService> containers_;
};

}  // namespace silo::services
