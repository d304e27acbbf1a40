// Shared pieces of the storage tests: a controllable clock, a temporary folder, and record builders.
#pragma once

#include "core/clock.h"
#include "core/ids.h"
#include "core/model/records.h"
#include "storage/sqlite/metadata_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace silo::testing {

// A clock the test sets; every read is recorded so events get predictable times.
class TestClock final : public Clock {
 public:
  explicit TestClock(TimeNs start = 1'700'000'000'000'000'000) : now_(start) {}
  TimeNs now() const override { return now_.load(); }
  void set(TimeNs value) { now_.store(value); }
  void advance(TimeNs delta) { now_.fetch_add(delta); }

 private:
  std::atomic<TimeNs> now_;
};

// A fresh folder under the system temp folder, removed with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "silo-storage-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// An id that starts with `prefix` and is padded with `fill` to the full 64 characters.
inline std::string id_with_prefix(const std::string& prefix, char fill = '0') {
  return prefix + std::string(ids::kIdLength - prefix.size(), fill);
}

inline SandboxRecord make_sandbox(const std::string& name, const std::string& id = ids::generate()) {
  SandboxRecord record;
  record.id = id;
  record.name = name;
  record.isolation = Isolation::hyperv;
  record.state = SandboxState::ready;
  record.labels = {{"team", "web"}, {"tier", "front"}};
  record.annotations = {{"microsoft.com/hostprocess-container", "false"}};
  record.spec = nlohmann::json{{"hostname", name}, {"memoryMb", 512}};
  record.created_at = 1'700'000'000'123'456'789;
  record.backend_handle = "vm:" + name;
  return record;
}

inline ContainerRecord make_container(const std::string& name, const std::string& sandbox_id,
                                      const std::string& id = ids::generate()) {
  ContainerRecord record;
  record.id = id;
  record.name = name;
  record.sandbox_id = sandbox_id;
  record.isolation = Isolation::process;
  record.state = ContainerState::created;
  record.state_reason = "created by API";
  record.labels = {{"app", name}};
  record.spec = nlohmann::json{{"image", "busybox"}, {"cmd", {"sh", "-c", "true"}}};
  record.created_at = 1'700'000'000'000'000'001;
  record.backend_handle = "runc:" + name;
  return record;
}

inline LayerRecord make_layer(const std::string& id, std::optional<std::string> parent = std::nullopt) {
  return LayerRecord{id, std::move(parent), 4096, 1'700'000'000'000'000'002};
}

// A store on a fresh file in `dir`, failing the test if it does not open.
inline std::unique_ptr<SqliteMetadataStore> open_store(const TempDir& dir, const Clock& clock,
                                                       std::size_t readers = 2) {
  auto store = open_metadata_store(StoreOptions{.path = dir.path() / "silo.db", .clock = clock,
                                                .busy_timeout = std::chrono::milliseconds(5000),
                                                .reader_pool_size = readers});
  EXPECT_TRUE(store) << (store ? "" : store.error().message);
  return store ? std::move(*store) : nullptr;
}

}  // namespace silo::testing
