// Layer import throughput: POST /v1/layers through a real silod (streamed from disk over its unix
// socket; silod hashes, checks and extracts every entry and renames the folder into place) against
// `tar -x` of the same file into a fresh folder, in the same run, plain and gzip-compressed.
//
// The tar is generated here: many small files (the shape of a base image's /usr) plus a few big
// ones, about 100 MB in all, with pseudo-random contents so nothing is sparse and gzip has work.
//
// Usage: layer_bench [rounds] [small-files] [big-file-MB]   (defaults 3, 20000 and 20)
//        SILO_BENCH_SILOD=/path/to/silod overrides the silod this build points at.
#include "bench/bench_support.h"

#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>

namespace {

namespace fs = std::filesystem;
using silo::bench::die;
using SteadyClock = std::chrono::steady_clock;

void write_random(const fs::path& path, std::size_t bytes, std::mt19937_64& random) {
  std::vector<std::uint64_t> words((bytes + 7) / 8);
  for (auto& word : words) word = random();
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(words.data()), static_cast<std::streamsize>(bytes));
  if (!out) die("cannot write " + path.string());
}

// Runs a command to completion; dies unless it exits 0.
void run(std::vector<std::string> args) {
  pid_t pid = ::fork();
  if (pid < 0) die("fork failed");
  if (pid == 0) {
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) die(args[0] + " failed");
}

fs::path make_tar(const fs::path& dir, int small_files, int big_mb) {
  std::mt19937_64 random(42);
  const fs::path root = dir / "content";
  for (int i = 0; i < small_files; ++i) {
    const fs::path folder = root / "usr" / ("d" + std::to_string(i / 100));
    if (i % 100 == 0) fs::create_directories(folder);
    write_random(folder / ("f" + std::to_string(i)), 512 + static_cast<std::size_t>(random() % 3584), random);
  }
  fs::create_directories(root / "opt");
  for (int i = 0; i < 3; ++i) write_random(root / "opt" / ("big" + std::to_string(i)), std::size_t(big_mb) << 20, random);
  const fs::path tar = dir / "layer.tar";
  run({"tar", "--numeric-owner", "-C", root.string(), "-cf", tar.string(), "."});
  fs::remove_all(root);
  return tar;
}

double seconds_since(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

double time_tar_extract(const fs::path& tar, const fs::path& into, bool gzip) {
  fs::create_directories(into);
  auto start = SteadyClock::now();
  run({"tar", gzip ? "-xzf" : "-xf", tar.string(), "-C", into.string()});
  double seconds = seconds_since(start);
  fs::remove_all(into);
  return seconds;
}

double time_api_import(const std::string& socket, const fs::path& tar) {
  auto start = SteadyClock::now();
  auto reply = silo::bench::upload_file(socket, "/v1/layers", tar, "application/octet-stream");
  double seconds = seconds_since(start);
  if (reply.status != 201) die("import: " + std::to_string(reply.status) + " " + reply.body);
  std::string id = nlohmann::json::parse(reply.body)["id"];
  auto removed = silo::bench::request(socket, "DELETE", "/v1/layers/" + id);
  if (removed.status != 204) die("remove " + id + ": " + std::to_string(removed.status) + " " + removed.body);
  return seconds;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string silod_path() {
  const char* override_path = std::getenv("SILO_BENCH_SILOD");
  return override_path ? override_path : SILO_SILOD_PATH;
}

}  // namespace

int main(int argc, char** argv) {
  silo::bench::set_program_name("layer_bench");
  const int rounds = std::clamp(argc > 1 ? std::atoi(argv[1]) : 3, 1, 50);
  const int small_files = std::clamp(argc > 2 ? std::atoi(argv[2]) : 20000, 0, 1'000'000);
  const int big_mb = std::clamp(argc > 3 ? std::atoi(argv[3]) : 20, 0, 4096);
  const auto dir = fs::temp_directory_path() / ("silo-layer-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path tar = make_tar(dir, small_files, big_mb);
  run({"gzip", "-k", "-1", tar.string()});
  const fs::path gz = tar.string() + ".gz";
  const double tar_mb = static_cast<double>(fs::file_size(tar)) / 1e6;
  {
    silo::bench::SilodProcess silod(silod_path(), dir / "silod");
    std::printf("layer_bench: %.1f MB tar (%d files of 0.5-4 KiB, 3 of %d MiB; gzip -1: %.1f MB), median of %d rounds; %s\n\n",
                tar_mb, small_files, big_mb, static_cast<double>(fs::file_size(gz)) / 1e6, rounds,
                silo::bench::load_average().c_str());
    std::printf("%-8s | %9s %9s | %9s %9s | %6s\n", "input", "api s", "api MB/s", "tar -x s", "tar MB/s", "ratio");
    for (bool gzip : {false, true}) {
      std::vector<double> api, extract;
      for (int round = 0; round < rounds; ++round) {
        extract.push_back(time_tar_extract(gzip ? gz : tar, dir / "extract", gzip));
        api.push_back(time_api_import(silod.socket(), gzip ? gz : tar));
      }
      const double a = median(api), t = median(extract);
      std::printf("%-8s | %9.2f %9.1f | %9.2f %9.1f | %6.2f\n", gzip ? "tar.gz" : "tar", a, tar_mb / a, t, tar_mb / t, t / a);
    }
    std::printf("\nMB/s = uncompressed tar MB / seconds; ratio = api MB/s / tar -x MB/s (1.00: silod costs nothing over tar)\n");
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return 0;
}
