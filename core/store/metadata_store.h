// The metadata store contract: what core/ needs from persistence, with no SQL in sight. The SQLite
// implementation lives in storage/sqlite/.
//
// Writes happen only inside write(): the body runs in one transaction, and write() returns only
// after the commit is durable (synchronous=FULL). A body that returns an error rolls everything
// back, so a mutating API call and the event rows it appends land together or not at all.
#pragma once

#include "core/errors.h"
#include "core/model/records.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace silo {

// Label selector term: "key" (present) or "key=value" (equal).
struct LabelSelector {
  std::string key;
  std::optional<std::string> value;
};

struct SandboxFilter {
  std::optional<Isolation> isolation;
  std::optional<std::string> name;
  std::vector<LabelSelector> labels;  // all must match
};

struct ContainerFilter {
  std::optional<ContainerState> state;
  std::optional<Isolation> isolation;
  std::optional<std::string> sandbox_id;
  std::optional<std::string> name;
  std::vector<LabelSelector> labels;  // all must match
};

struct EventQuery {
  std::optional<std::int64_t> after_id;  // strictly greater than this event id
  std::optional<TimeNs> since;           // time >= since
  std::optional<TimeNs> until;           // time <= until
  std::vector<std::string> types;        // any of; empty means all
  std::vector<std::string> actions;      // any of
  std::vector<std::string> actor_ids;    // any of
  std::size_t limit = 1000;
};

// Operations available inside one write transaction. Each fails with not_found / already_exists /
// conflict / failed_precondition as the message says; the body should return that error so the
// transaction rolls back.
class WriteTxn {
 public:
  virtual ~WriteTxn() = default;

  virtual Result<void> insert_sandbox(const SandboxRecord& record) = 0;
  virtual Result<void> update_sandbox(const SandboxRecord& record) = 0;  // by id; all mutable columns
  virtual Result<void> delete_sandbox(std::string_view id) = 0;          // refused while containers use it

  virtual Result<void> insert_container(const ContainerRecord& record) = 0;
  virtual Result<void> update_container(const ContainerRecord& record) = 0;  // by id; all mutable columns
  virtual Result<void> delete_container(std::string_view id) = 0;

  virtual Result<void> insert_layer(const LayerRecord& record) = 0;
  virtual Result<void> delete_layer(std::string_view id) = 0;  // refused while a child or container uses it

  // Appends an event stamped with the store's clock; the returned record carries its id.
  virtual Result<EventRecord> append_event(const EventDraft& draft) = 0;

  // Reads that see this transaction's own writes, for compare-and-set decisions.
  virtual Result<SandboxRecord> get_sandbox(std::string_view id) = 0;
  virtual Result<ContainerRecord> get_container(std::string_view id) = 0;
};

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  using WriteBody = std::function<Result<void>(WriteTxn&)>;
  // Runs body in one transaction and commits it durably if body succeeds. Returns the events the
  // body appended, in order, so the caller can publish them after the commit.
  virtual Result<std::vector<EventRecord>> write(const WriteBody& body) = 0;

  // Lookups accept a full id, a unique id prefix, or (for sandboxes and containers) the name.
  virtual Result<SandboxRecord> find_sandbox(std::string_view ref) = 0;
  virtual Result<std::vector<SandboxRecord>> list_sandboxes(const SandboxFilter& filter) = 0;

  virtual Result<ContainerRecord> find_container(std::string_view ref) = 0;
  virtual Result<std::vector<ContainerRecord>> list_containers(const ContainerFilter& filter) = 0;

  virtual Result<LayerRecord> find_layer(std::string_view ref) = 0;
  virtual Result<std::vector<LayerRecord>> list_layers() = 0;

  // Events in id order.
  virtual Result<std::vector<EventRecord>> list_events(const EventQuery& query) = 0;
  virtual Result<std::int64_t> last_event_id() = 0;
};

}  // namespace silo
