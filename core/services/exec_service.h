// Extra processes in running containers (docker exec). Execs live in memory only, as docker's do:
// they end with their container and are not re-adopted after a daemon restart.
#pragma once

#include "core/services/container_service.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace silo::services {

struct ExecSpec {
  std::vector<std::string> command;
  std::vector<std::string> env;
  std::string working_dir;
  std::string user;
};

struct ExecRecord {
  std::string id;
  std::string container_id;
  ExecSpec spec;
  bool running = false;
  TimeNs created_at = 0;
  std::optional<TimeNs> started_at;
  std::optional<TimeNs> finished_at;
  std::optional<int> exit_code;
};

class ExecService {
 public:
  // Registers itself as the container service's exec exit handler.
  explicit ExecService(std::shared_ptr<ContainerService> containers);

  // The container must be running.
  Result<ExecRecord> create(std::string_view container_ref, ExecSpec spec);
  Result<ExecRecord> start(std::string_view exec_ref);
  Result<ExecRecord> get(std::string_view exec_ref) const;
  // DATA_ROOT/containers/<id>/exec/<exec_id>: where the backend writes the exec's output.
  std::filesystem::path state_dir(const ExecRecord& exec) const;
  // Watches for exec changes are keyed by the exec id on the container service's notifier.
  std::shared_ptr<ChangeNotifier> notifier() const { return containers_->notifier(); }

 private:
  Result<std::string> resolve(std::string_view ref) const;
  void on_exit(const std::string& exec_id, const engine::ExitStatus& status);

  std::shared_ptr<ContainerService> containers_;
  mutable std::mutex mutex_;
  std::map<std::string, ExecRecord> execs_;
};

}  // namespace silo::services
