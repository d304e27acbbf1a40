// What container_bench and layer_bench share: a real silod started on a temporary data root and
// unix socket (silo-monitor beside it, as the build links it), blocking HTTP requests to it over
// the socket, latency statistics, and the resident memory of a process.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace silo::bench {

// Prints "<program>: <message>", stops every silod this run started and exits 1.
[[noreturn]] void die(const std::string& message);
void set_program_name(std::string name);

class SilodProcess {
 public:
  // Starts `silod` with -H unix://<dir>/silod.sock --data-root <dir>/data plus `extra` flags, its
  // output in <dir>/silod.log, and waits (bounded, 10 s) until GET /_ping answers.
  SilodProcess(const std::string& silod, const std::filesystem::path& dir, std::vector<std::string> extra = {});
  ~SilodProcess();  // SIGTERM and reap
  SilodProcess(const SilodProcess&) = delete;
  SilodProcess& operator=(const SilodProcess&) = delete;

  const std::string& socket() const { return socket_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::string socket_;
};

struct Reply {
  int status = 0;
  std::string body;
};

// One request on a fresh connection to a unix socket; dies when the socket cannot be reached.
Reply request(const std::string& socket, const std::string& method, const std::string& target,
              const std::string& json_body = {});
// POST `file` as the body (streamed from disk by Beast, never held whole) with `content_type`.
Reply upload_file(const std::string& socket, const std::string& target, const std::filesystem::path& file,
                  const std::string& content_type);

// Latencies of one configuration, in microseconds.
struct Samples {
  std::vector<double> us;
  double seconds = 0;  // wall time of the whole configuration
  double per_second() const;
  double percentile(double p);  // sorts
};

// VmRSS of `pid` in KiB, from /proc/<pid>/status; -1 when unreadable.
long resident_kib(pid_t pid);

// "load average 1.00 0.50 0.25", to print beside the figures: the machine is shared.
std::string load_average();

}  // namespace silo::bench
