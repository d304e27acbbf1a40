// Creating a container: validate, place (sandbox + HostProcess rules), authorize, record, and let
// the backend prepare it. A failure at any step leaves nothing behind: no row, no folder, no cgroup.
#include "core/ids.h"
#include "core/logging.h"
#include "core/model/spec_json.h"
#include "core/services/container_service.h"
#include "core/services/host_paths.h"
#include "core/services/names.h"

namespace silo::services {
namespace {

struct Placement {
  std::optional<SandboxSpec> joined_spec;   // the existing sandbox's spec, when joining one
  std::optional<SandboxRecord> joined;      // ...and its record
  std::optional<SandboxRecord> implicit;    // the sandbox made for this container
};

Result<Placement> find_sandbox(MetadataStore& store, const std::string& ref) {
  Placement placement;
  if (ref.empty()) return placement;
  auto record = store.find_sandbox(ref);
  if (!record) return record.error();
  auto spec = sandbox_spec_from_json(record->spec);
  if (!spec) return make_error(Errc::internal, "sandbox " + record->id + " has an unreadable spec: " + spec.error().message);
  placement.joined_spec = std::move(*spec);
  placement.joined = std::move(*record);
  return placement;
}

// Mount sources must exist when the container is created, as docker's -v with a host path does
// (silo does not create them), so the mistake shows here rather than at start.
Result<void> check_mount_sources(const ContainerSpec& spec, HostPlatform platform) {
  if (platform != HostPlatform::posix) return {};
  for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
    std::error_code ec;
    const auto& source = spec.mounts[i].source;
    if (!std::filesystem::exists(source, ec)) {
      return make_error(Errc::invalid_argument, "mounts[" + std::to_string(i) + "].source \"" + source +
                                                    "\" does not exist on the host; create it first");
    }
  }
  return {};
}

Result<engine::Availability> usable(const engine::Engine& engine, Isolation mode) {
  auto availability = engine.availability(mode);
  if (!availability.available) {
    return make_error(Errc::failed_precondition, std::string(to_string(mode)) +
                                                     " isolation is not available on this host: " + availability.reason);
  }
  return availability;
}

}  // namespace

Result<ContainerRecord> ContainerService::create(ContainerSpec spec, const Identity& caller) {
  SILO_TRY(validate_container_spec(spec));
  if (!spec.name.empty()) return create_locked(std::move(spec), caller);
  // A generated name is checked before the commit, so two concurrent creates can draw the same one
  // and the second commit fails on the unique name. That attempt left nothing behind; a new id
  // draws a new name. Bounded: three draws colliding in a row means something else is wrong.
  for (int attempt = 1;; ++attempt) {
    auto created = create_locked(spec, caller);
    if (created || created.error().code != Errc::already_exists || attempt == 3) return created;
  }
}

Result<ContainerRecord> ContainerService::create_locked(ContainerSpec spec, const Identity& caller) {
  auto placement = find_sandbox(*store_, spec.sandbox);
  if (!placement) return placement.error();
  const std::string id = ids::generate();
  PlacementContext context{options_.platform, options_.data_root.string(), id};
  auto config = resolve_container_config(spec, placement->joined_spec, context);
  if (!config) return config.error();
  // Before any host path is looked at for other reasons: an operator learns nothing about a host
  // path it may not use, not even whether it exists.
  auto reach = container_reaching_host(config->hostprocess, spec, options_.host_access, resolve_host_path);
  SILO_TRY(check_host_access(caller, spec.name.empty() ? "create a container" : "create container " + spec.name, reach));
  if (auto ok = usable(*engine_, config->isolation); !ok) return ok.error();
  SILO_TRY(check_mount_sources(spec, options_.platform));

  ContainerRecord record;
  record.id = id;
  if (spec.name.empty()) {
    spec.name = friendly_name(id);
    if (store_->find_container(spec.name)) spec.name = fallback_container_name(id);
  }
  record.name = spec.name;
  if (spec.layer) {
    auto layer = store_->find_layer(*spec.layer);
    if (!layer) return layer.error();
    record.top_layer = layer->id;
    spec.layer = layer->id;
  }
  if (!placement->joined) {
    auto sandbox_spec = implicit_sandbox_for(spec);
    if (!sandbox_spec) return sandbox_spec.error();
    SandboxRecord sandbox;
    sandbox.id = ids::generate();
    sandbox.name = implicit_sandbox_name(record.name, sandbox.id);
    sandbox_spec->name = sandbox.name;
    sandbox_spec->annotations[std::string(kImplicitSandboxAnnotation)] = "true";
    sandbox.isolation = sandbox_spec->isolation;
    sandbox.annotations = sandbox_spec->annotations;
    sandbox.spec = to_json(*sandbox_spec);
    sandbox.created_at = clock_->now();
    placement->implicit = std::move(sandbox);
  }
  record.sandbox_id = placement->joined ? placement->joined->id : placement->implicit->id;
  spec.sandbox = record.sandbox_id;  // the record keeps the resolved id, not the name given
  record.isolation = config->isolation;
  record.labels = spec.labels;
  record.spec = to_json(spec);
  record.created_at = clock_->now();

  auto transition = plan_transition({record.id, record.name}, std::nullopt, ContainerOperation::create);
  if (!transition) return transition.error();
  record.state = ContainerState::created;
  record.state_reason = transition->reason;
  auto written = store_->write([&](WriteTxn& txn) -> Result<void> {
    if (placement->implicit) {
      SILO_TRY(txn.insert_sandbox(*placement->implicit));
      auto event = txn.append_event({"sandbox", "create", placement->implicit->id, {{"name", placement->implicit->name}}});
      if (!event) return event.error();
    }
    SILO_TRY(txn.insert_container(record));
    for (const auto& draft : transition->events) {
      auto event = txn.append_event(draft);
      if (!event) return event.error();
    }
    return {};
  });
  if (!written) return written.error();

  // A shared sandbox's containers share its hostname, as a pod's do; an own sandbox takes the container's name.
  engine::LaunchRequest request{record.id, record.name, record.sandbox_id, spec, *config, state_dir(record.id),
                                placement->joined ? placement->joined->name : record.name};
  auto backend = engine_->backend(config->isolation);
  auto handle = backend->create(request);
  if (!handle) {
    if (auto undone = undo_create(record, placement->implicit); !undone) {
      logging::get("services")->error("container {}: could not undo its records after a failed create: {}", record.id,
                                      undone.error().message);
    }
    return handle.error();
  }
  record.backend_handle = *handle;
  auto persisted = store_->write([&](WriteTxn& txn) { return txn.update_container(record); });
  if (!persisted) {
    (void)backend->remove(*handle);
    (void)undo_create(record, placement->implicit);
    return persisted.error();
  }
  return record;
}

// The create event already committed, so the undo appends destroy events: followers see a
// container (and its implicit sandbox) come and go, never one that silently vanished.
Result<void> ContainerService::undo_create(const ContainerRecord& container, const std::optional<SandboxRecord>& implicit) {
  auto written = store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.delete_container(container.id));
    auto event = txn.append_event({"container", "destroy", container.id, {{"name", container.name}}});
    if (!event) return event.error();
    if (implicit) {
      SILO_TRY(txn.delete_sandbox(implicit->id));
      auto sandbox_event = txn.append_event({"sandbox", "destroy", implicit->id, {{"name", implicit->name}}});
      if (!sandbox_event) return sandbox_event.error();
    }
    return {};
  });
  if (!written) return written.error();
  return {};
}

std::optional<std::string> ContainerService::host_reach(const ContainerRecord& record, ReachFor purpose) const {
  auto spec = container_spec_from_json(record.spec);
  // A spec silo cannot read is not known to stay off the host.
  if (!spec) return "its recorded spec cannot be read (" + spec.error().message + ")";
  return container_reaching_host(record.isolation == Isolation::hostprocess, *spec, options_.host_access,
                                 resolve_host_path, purpose);
}

Result<engine::LaunchRequest> ContainerService::launch_request(const ContainerRecord& record) {
  auto spec = container_spec_from_json(record.spec);
  if (!spec) return make_error(Errc::internal, "container " + record.id + " has an unreadable spec: " + spec.error().message);
  auto sandbox = store_->find_sandbox(record.sandbox_id);
  if (!sandbox) return sandbox.error();
  auto sandbox_spec = sandbox_spec_from_json(sandbox->spec);
  if (!sandbox_spec) return make_error(Errc::internal, "sandbox " + sandbox->id + " has an unreadable spec");
  PlacementContext context{options_.platform, options_.data_root.string(), record.id};
  auto config = resolve_container_config(*spec, *sandbox_spec, context);
  if (!config) return config.error();
  const bool implicit = sandbox->annotations.contains(std::string(kImplicitSandboxAnnotation));
  return engine::LaunchRequest{record.id, record.name, record.sandbox_id, std::move(*spec), std::move(*config),
                               state_dir(record.id), implicit ? record.name : sandbox->name};
}

}  // namespace silo::services
