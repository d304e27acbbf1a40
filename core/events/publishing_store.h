// A MetadataStore that publishes the events of every committed write to an EventHub. The
// composition root wraps the real store in it, so no service can commit an event that followers
// never see, and no event is published before its transaction is durable.
#pragma once

#include "core/events/event_hub.h"
#include "core/store/metadata_store.h"

#include <memory>

namespace silo::events {

class PublishingStore final : public MetadataStore {
 public:
  PublishingStore(std::shared_ptr<MetadataStore> inner, std::shared_ptr<EventHub> hub)
      : inner_(std::move(inner)), hub_(std::move(hub)) {}

  Result<std::vector<EventRecord>> write(const WriteBody& body) override;

  Result<SandboxRecord> find_sandbox(std::string_view ref) override { return inner_->find_sandbox(ref); }
  Result<std::vector<SandboxRecord>> list_sandboxes(const SandboxFilter& filter) override {
    return inner_->list_sandboxes(filter);
  }
  Result<ContainerRecord> find_container(std::string_view ref) override { return inner_->find_container(ref); }
  Result<std::vector<ContainerRecord>> list_containers(const ContainerFilter& filter) override {
    return inner_->list_containers(filter);
  }
  Result<LayerRecord> find_layer(std::string_view ref) override { return inner_->find_layer(ref); }
  Result<std::vector<LayerRecord>> list_layers() override { return inner_->list_layers(); }
  Result<std::vector<EventRecord>> list_events(const EventQuery& query) override { return inner_->list_events(query); }
  Result<std::int64_t> last_event_id() override { return inner_->last_event_id(); }

 private:
  std::shared_ptr<MetadataStore> inner_;
  std::shared_ptr<EventHub> hub_;
};

}  // namespace silo::events
