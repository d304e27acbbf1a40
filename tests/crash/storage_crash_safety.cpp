// Crash safety of acknowledged writes: a child process writes through the store and reports each
// write on a pipe only after write() returned ok; the parent SIGKILLs it at a random moment, then
// checks that the database is intact and holds every acknowledged write. Rounds reuse one
// database file, so later rounds also crash during recovery of the earlier ones.
//
// Usage: storage_crash_safety [rounds] (SILO_CRASH_SEED=<n> repeats a run's kill timings).
#include "core/ids.h"
#include "storage/sqlite/metadata_store.h"

#include <sqlite3.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace silo;

constexpr auto kTimeBudget = std::chrono::seconds(120);

// The order a container moves through; the database may be ahead of the last acknowledgement
// (a commit that landed just before the kill, unreported) but never behind it.
int rank(ContainerState state) { return static_cast<int>(state); }

// Child: one write() per change, acknowledged as "<kind> <id> <rank|event id>\n" after it returns.
[[noreturn]] void run_writer(const std::filesystem::path& db, int ack_fd, int round) {
  SystemClock clock;
  auto store = open_metadata_store(StoreOptions{.path = db, .clock = clock});
  if (!store) {
    std::fprintf(stderr, "child: open failed: %s\n", store.error().message.c_str());
    _exit(2);
  }
  const std::string sandbox_id = ids::generate();
  auto pod = (*store)->write([&](WriteTxn& txn) {
    SandboxRecord sandbox;
    sandbox.id = sandbox_id;
    sandbox.name = "pod-" + std::to_string(round);
    return txn.insert_sandbox(sandbox);
  });
  if (!pod) _exit(3);
  auto ack = [&](const std::string& line) {
    if (write(ack_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(4);
  };
  ack("ready\n");
  for (int i = 0; i < 100000; ++i) {  // bounded; the parent kills it long before
    ContainerRecord container;
    container.id = ids::generate();
    container.name = "r" + std::to_string(round) + "-" + std::to_string(i);
    container.sandbox_id = sandbox_id;
    container.labels = {{"round", std::to_string(round)}};
    for (auto state : {ContainerState::created, ContainerState::running, ContainerState::exited}) {
      container.state = state;
      auto written = (*store)->write([&](WriteTxn& txn) -> Result<void> {
        SILO_TRY(state == ContainerState::created ? txn.insert_container(container) : txn.update_container(container));
        auto event = txn.append_event({"container", std::string(to_string(state)), container.id, {}});
        if (!event) return event.error();
        return {};
      });
      if (!written) {
        std::fprintf(stderr, "child: write failed: %s\n", written.error().message.c_str());
        _exit(5);
      }
      ack("c " + container.id + " " + std::to_string(rank(state)) + "\n");
      ack("e " + container.id + " " + std::to_string(written->front().id) + "\n");
    }
  }
  _exit(0);
}

// Waits (at most 10 s) until the child says it has opened the store, keeping what it read.
bool wait_until_ready(int fd, std::string& text) {
  char buffer[4096];
  for (int i = 0; i < 1000 && text.find("ready\n") == std::string::npos; ++i) {
    pollfd poll_fd{fd, POLLIN, 0};
    if (poll(&poll_fd, 1, 10) < 0) return false;
    if ((poll_fd.revents & (POLLIN | POLLHUP)) == 0) continue;
    const auto got = read(fd, buffer, sizeof buffer);
    if (got <= 0) return false;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return text.find("ready\n") != std::string::npos;
}

std::string read_all(int fd, std::string text) {
  char buffer[4096];
  for (int i = 0; i < 1'000'000; ++i) {
    const auto got = read(fd, buffer, sizeof buffer);
    if (got <= 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return text;
}

std::string integrity_check(const std::filesystem::path& db) {
  sqlite3* handle = nullptr;
  std::string result = "cannot open";
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(handle, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK) {
      result.clear();
      while (sqlite3_step(stmt) == SQLITE_ROW) result += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    } else {
      result = sqlite3_errmsg(handle);
    }
    sqlite3_finalize(stmt);
  } else if (handle != nullptr) {
    result = sqlite3_errmsg(handle);
  }
  sqlite3_close(handle);
  return result;
}

struct Acked {
  std::map<std::string, int> container_rank;        // id -> highest acknowledged state
  std::map<std::int64_t, std::string> event_actor;  // event id -> container id
};

void record_acks(const std::string& text, Acked& acked) {
  std::size_t start = 0;
  for (std::size_t end = text.find('\n'); end != std::string::npos; start = end + 1, end = text.find('\n', start)) {
    const std::string line = text.substr(start, end - start);  // a partial last line has no '\n' and is skipped
    char kind = 0;
    char id[80] = {};
    long long number = 0;
    if (std::sscanf(line.c_str(), "%c %64s %lld", &kind, id, &number) != 3) continue;
    if (kind == 'c') acked.container_rank[id] = std::max(acked.container_rank[id], static_cast<int>(number));
    if (kind == 'e') acked.event_actor[number] = id;
  }
}

// Empty when every acknowledged write is in the store; otherwise what is missing.
std::string verify(const std::filesystem::path& db, const Acked& acked) {
  SystemClock clock;
  auto store = open_metadata_store(StoreOptions{.path = db, .clock = clock});
  if (!store) return "store does not open after the crash: " + store.error().message;
  for (const auto& [id, acked_rank] : acked.container_rank) {
    auto found = (*store)->find_container(id);
    if (!found) return "acknowledged container " + id + " is missing: " + found.error().message;
    if (rank(found->state) < acked_rank) {
      return "container " + id + " is in state " + std::string(to_string(found->state)) + ", behind its acknowledged state";
    }
  }
  auto events = (*store)->list_events({.limit = 10'000'000});
  if (!events) return "cannot list events: " + events.error().message;
  std::map<std::int64_t, std::string> stored;
  for (const auto& event : *events) stored[event.id] = event.actor_id;
  for (const auto& [event_id, actor] : acked.event_actor) {
    auto found = stored.find(event_id);
    if (found == stored.end() || found->second != actor) {
      return "acknowledged event " + std::to_string(event_id) + " of " + actor + " is missing";
    }
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 60;
  const char* seed_text = std::getenv("SILO_CRASH_SEED");
  const unsigned seed = seed_text != nullptr ? static_cast<unsigned>(std::strtoul(seed_text, nullptr, 10))
                                             : std::random_device{}();
  std::printf("storage_crash_safety: %d rounds, seed %u (SILO_CRASH_SEED=%u repeats the kill timings)\n", rounds,
              seed, seed);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(5, 60);

  char pattern[] = "/tmp/silo-crash-XXXXXX";
  if (mkdtemp(pattern) == nullptr) return 2;
  const std::filesystem::path dir = pattern;
  const auto db = dir / "silo.db";
  const auto started = std::chrono::steady_clock::now();
  Acked acked;
  std::size_t killed_mid_write = 0;
  int failed = 0;
  for (int round = 0; round < rounds && std::chrono::steady_clock::now() - started < kTimeBudget; ++round) {
    int fds[2];
    if (pipe(fds) != 0) return 2;
    // No store or sqlite handle is open in this process at fork time, so the child starts clean.
    const pid_t child = fork();
    if (child == 0) {
      close(fds[0]);
      run_writer(db, fds[1], round);
    }
    close(fds[1]);
    // Every fourth round counts the delay from the fork, so the kill can land while the store is
    // opening (recovering the WAL, migrating); the others count from "ready", so it lands among writes.
    std::string received;
    const bool from_fork = round % 4 == 0;
    if (!from_fork && !wait_until_ready(fds[0], received)) {
      std::fprintf(stderr, "round %d: the writer never became ready (seed %u)\n", round, seed);
      failed = 1;
    }
    const int delay = delay_ms(random);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    record_acks(read_all(fds[0], std::move(received)), acked);
    close(fds[0]);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ++killed_mid_write;
    if (failed != 0) break;
    if (WIFEXITED(status)) {
      std::fprintf(stderr, "round %d: the writer exited by itself with status %d (seed %u)\n", round,
                   WEXITSTATUS(status), seed);
      failed = 1;
      break;
    }
    const auto integrity = integrity_check(db);
    std::string problem = integrity == "ok" ? verify(db, acked) : "integrity_check: " + integrity;
    if (!problem.empty()) {
      std::fprintf(stderr, "round %d (killed after %d ms): %s (seed %u)\n", round, delay, problem.c_str(), seed);
      failed = 1;
      break;
    }
  }
  std::printf("storage_crash_safety: %zu kills, %zu acknowledged containers, %zu acknowledged events verified\n",
              killed_mid_write, acked.container_rank.size(), acked.event_actor.size());
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  if (acked.container_rank.empty() && failed == 0) {
    std::fprintf(stderr, "no write was ever acknowledged, so nothing was tested (seed %u)\n", seed);
    return 1;
  }
  return failed;
}
