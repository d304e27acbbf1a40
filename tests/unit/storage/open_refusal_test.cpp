// A file silod cannot trust is refused at open with its path and SQLite's own words, and left
// byte for byte as it was: never recreated, repaired or overwritten.
#include "tests/unit/storage/store_test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>

namespace silo::testing {
namespace {

using ::testing::HasSubstr;

Result<std::unique_ptr<SqliteMetadataStore>> open_path(const std::filesystem::path& path, const Clock& clock) {
  return open_metadata_store(StoreOptions{.path = path, .clock = clock});
}

// A real database with enough rows to span many pages, closed cleanly (WAL folded back in).
void build_database(const TempDir& dir, const Clock& clock) {
  auto store = open_store(dir, clock);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->write([](WriteTxn& txn) -> Result<void> {
    auto sandbox = make_sandbox("pod");
    SILO_TRY(txn.insert_sandbox(sandbox));
    for (int i = 0; i < 200; ++i) {
      auto container = make_container("c" + std::to_string(i), sandbox.id);
      container.spec["padding"] = std::string(400, 'x');
      SILO_TRY(txn.insert_container(container));
    }
    return {};
  }));
}

void expect_refused_untouched(const std::filesystem::path& path, const Clock& clock, Errc code,
                              const std::string& sqlite_words) {
  const auto before = read_bytes(path);
  auto store = open_path(path, clock);
  ASSERT_FALSE(store) << "a damaged database was opened";
  EXPECT_EQ(store.error().code, code) << store.error().message;
  EXPECT_THAT(store.error().message, HasSubstr(path.string()));
  EXPECT_THAT(store.error().message, HasSubstr(sqlite_words));
  EXPECT_EQ(read_bytes(path), before) << "the refused file was modified";
}

TEST(OpenRefusal, FileOfRandomBytes) {
  TempDir dir;
  TestClock clock;
  const auto path = dir.path() / "silo.db";
  std::mt19937 random(7);
  std::string garbage(16384, '\0');
  for (auto& byte : garbage) byte = static_cast<char>(random() & 0xffU);
  write_bytes(path, garbage);
  expect_refused_untouched(path, clock, Errc::internal, "file is not a database");
}

TEST(OpenRefusal, TruncatedDatabase) {
  TempDir dir;
  TestClock clock;
  build_database(dir, clock);
  const auto path = dir.path() / "silo.db";
  auto bytes = read_bytes(path);
  ASSERT_GT(bytes.size(), 40000U);
  write_bytes(path, bytes.substr(0, bytes.size() / 2));
  expect_refused_untouched(path, clock, Errc::internal, "SQLite");
}

TEST(OpenRefusal, DamagedPagesInsideAValidHeader) {
  TempDir dir;
  TestClock clock;
  build_database(dir, clock);
  const auto path = dir.path() / "silo.db";
  auto bytes = read_bytes(path);
  ASSERT_GT(bytes.size(), 40000U);
  for (std::size_t i = 4096 * 2; i < 4096 * 6; ++i) bytes[i] = static_cast<char>(i * 31U);
  write_bytes(path, bytes);
  expect_refused_untouched(path, clock, Errc::internal, "restore a backup");
}

TEST(OpenRefusal, Directory) {
  TempDir dir;
  TestClock clock;
  const auto path = dir.path() / "silo.db";
  std::filesystem::create_directory(path);
  auto store = open_path(path, clock);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::failed_precondition);
  EXPECT_THAT(store.error().message, HasSubstr(path.string()));
  EXPECT_THAT(store.error().message, HasSubstr("is a directory"));
  EXPECT_TRUE(std::filesystem::is_directory(path));
  EXPECT_TRUE(std::filesystem::is_empty(path));
}

TEST(OpenRefusal, MissingFolder) {
  TestClock clock;
  TempDir dir;
  const auto path = dir.path() / "no-such-folder" / "silo.db";
  auto store = open_path(path, clock);
  ASSERT_FALSE(store);
  EXPECT_THAT(store.error().message, HasSubstr("does not exist"));
  EXPECT_FALSE(std::filesystem::exists(path.parent_path()));
}

// Opens `path` as an unprivileged user in a child process (root reads any file, so the test would
// prove nothing as root) and returns the error code and message it got.
std::pair<int, std::string> open_as_unprivileged(const std::filesystem::path& path) {
  int fds[2];
  if (pipe(fds) != 0) return {-1, "pipe failed"};
  const pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
    TestClock clock;
    auto store = open_metadata_store(StoreOptions{.path = path, .clock = clock});
    const std::string report =
        store ? std::string("0 opened") : std::to_string(static_cast<int>(store.error().code)) + " " + store.error().message;
    (void)!write(fds[1], report.data(), report.size());
    _exit(0);
  }
  close(fds[1]);
  std::string report;
  char buffer[512];
  for (int i = 0; i < 1000; ++i) {
    const auto got = read(fds[0], buffer, sizeof buffer);
    if (got <= 0) break;
    report.append(buffer, static_cast<std::size_t>(got));
  }
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  const auto space = report.find(' ');
  if (space == std::string::npos) return {-1, "child reported nothing (status " + std::to_string(status) + ")"};
  return {std::stoi(report.substr(0, space)), report.substr(space + 1)};
}

TEST(OpenRefusal, FileWithoutReadPermission) {
  TempDir dir;
  TestClock clock;
  build_database(dir, clock);
  const auto path = dir.path() / "silo.db";
  // The folder must be searchable by the unprivileged user, the file itself not readable.
  ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);
  ASSERT_EQ(chmod(path.c_str(), 0), 0);
  const auto before = read_bytes(path);
  const auto [code, message] = open_as_unprivileged(path);
  EXPECT_EQ(code, static_cast<int>(Errc::permission_denied)) << message;
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("unable to open database file"));
  EXPECT_EQ(read_bytes(path), before);
}

}  // namespace
}  // namespace silo::testing
