// An in-memory MetadataStore for API tests: events and containers in vectors, no transactions
// beyond a mutex. The real store has its own tests in tests/unit/storage.
#pragma once

#include "core/store/metadata_store.h"

#include <mutex>

namespace silo::test {

class FakeStore final : public MetadataStore {
 public:
  // Appends an event with the next id and the given time, as a committed write would.
  EventRecord add_event(std::string type, std::string action, std::string actor, TimeNs time);
  void add_container(ContainerRecord record);

  Result<std::vector<EventRecord>> write(const WriteBody&) override;
  Result<SandboxRecord> find_sandbox(std::string_view) override { return make_error(Errc::not_found, "none"); }
  Result<std::vector<SandboxRecord>> list_sandboxes(const SandboxFilter&) override { return std::vector<SandboxRecord>{}; }
  Result<ContainerRecord> find_container(std::string_view) override { return make_error(Errc::not_found, "none"); }
  Result<std::vector<ContainerRecord>> list_containers(const ContainerFilter&) override;
  Result<LayerRecord> find_layer(std::string_view) override { return make_error(Errc::not_found, "none"); }
  Result<std::vector<LayerRecord>> list_layers() override { return std::vector<LayerRecord>{}; }
  Result<std::vector<EventRecord>> list_events(const EventQuery& query) override;
  Result<std::int64_t> last_event_id() override;

 private:
  std::mutex mutex_;
  std::vector<EventRecord> events_;
  std::vector<ContainerRecord> containers_;
};

}  // namespace silo::test
