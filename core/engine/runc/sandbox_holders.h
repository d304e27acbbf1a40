// The holders of process sandboxes: one silo-sandbox-holder per sandbox that has process-isolated
// containers, started on the first container's create and ended with the last container's remove.
// Files under DATA_ROOT/runc/sandboxes/<sandbox id>/:
//   monitor-pid.json  {"pid":…,"start_time":…}: the holder (the monitor's identity format), found again after a restart
//   members/<id>      one empty file per container that uses the sandbox
//   holder.err        the holder's own diagnostics
// A holder found dead (the host rebooted) is replaced by a new one on the next create or start;
// containers that ran in the old namespaces have ended with it.
#pragma once

#include "core/engine/runc/oci_spec.h"
#include "core/errors.h"

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>

namespace silo::engine::runc {

class SandboxHolders {
 public:
  SandboxHolders(std::filesystem::path root, std::filesystem::path holder_path, std::chrono::milliseconds start_timeout);

  // Registers `container_id` in the sandbox and returns the namespaces to join, starting the holder
  // (with `hostname`) when the sandbox has none alive.
  Result<SandboxNamespaces> join(const std::string& sandbox_id, const std::string& hostname, const std::string& container_id);
  // Unregisters the container; the last one out ends the holder and removes the sandbox's folder.
  Result<void> leave(const std::string& sandbox_id, const std::string& container_id);

  const std::filesystem::path& holder_path() const { return holder_path_; }

 private:
  Result<int> live_holder(const std::filesystem::path& dir, const std::string& hostname);
  Result<int> start_holder(const std::filesystem::path& dir, const std::string& hostname);

  std::filesystem::path root_;
  std::filesystem::path holder_path_;
  std::chrono::milliseconds start_timeout_;
  std::mutex mutex_;  // one join or leave at a time: membership and the holder change together
};

}  // namespace silo::engine::runc
