#include "core/services/sandbox_service.h"

#include "core/ids.h"
#include "core/model/spec_json.h"
#include "core/services/names.h"

namespace silo::services {

Result<SandboxRecord> SandboxService::create(SandboxSpec spec) {
  SILO_TRY(validate_sandbox_spec(spec));
  if (spec.isolation == Isolation::hyperv) {
    auto availability = engine_->availability(Isolation::hyperv);
    if (!availability.available) {
      return make_error(Errc::failed_precondition,
                        "hyperv isolation is not available on this host: " + availability.reason);
    }
  }
  SandboxRecord record;
  record.id = ids::generate();
  if (spec.name.empty()) spec.name = "sb_" + friendly_name(record.id);
  if (store_->find_sandbox(spec.name)) spec.name = "sb-" + std::string(ids::shorten(record.id));
  record.name = spec.name;
  record.isolation = spec.isolation;
  record.state = SandboxState::ready;
  record.labels = spec.labels;
  record.annotations = spec.annotations;
  record.spec = to_json(spec);
  record.created_at = clock_->now();
  auto written = store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_sandbox(record));
    auto event = txn.append_event({"sandbox", "create", record.id, {{"name", record.name}}});
    if (!event) return event.error();
    return {};
  });
  if (!written) return written.error();
  return record;
}

Result<void> SandboxService::remove(std::string_view ref, bool force) {
  auto sandbox = store_->find_sandbox(ref);
  if (!sandbox) return sandbox.error();
  ContainerFilter filter;
  filter.sandbox_id = sandbox->id;
  auto members = store_->list_containers(filter);
  if (!members) return members.error();
  std::size_t running = 0;
  for (const auto& member : *members) running += member.state == ContainerState::running;
  if (running > 0 && !force) {
    return make_error(Errc::conflict, "sandbox " + sandbox->name + " has " + std::to_string(running) +
                                          " running container(s); stop them first or remove it with force");
  }
  for (const auto& member : *members) SILO_TRY(containers_->remove(member.id, force));
  auto written = store_->write([&](WriteTxn& txn) -> Result<void> {
    auto still = txn.get_sandbox(sandbox->id);
    if (!still) return still.error();  // an implicit sandbox went with its last container
    SILO_TRY(txn.delete_sandbox(sandbox->id));
    auto event = txn.append_event({"sandbox", "destroy", sandbox->id, {{"name", sandbox->name}}});
    if (!event) return event.error();
    return {};
  });
  if (!written && written.error().code == Errc::not_found) return {};
  if (!written) return written.error();
  return {};
}

}  // namespace silo::services
