// silo-sandbox-holder <hostname>: the process that keeps a process sandbox's network, ipc and uts
// namespaces alive, as Kubernetes' pause container does for a pod. silod starts it detached (its
// own session, reparented to init) with a ready pipe on fd 3; it makes the namespaces, sets the
// sandbox's hostname, brings loopback up, reports "ok <pid>" and then only waits for SIGTERM or
// SIGKILL. Containers join its namespaces through /proc/<pid>/ns/{net,ipc,uts}.
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

constexpr int kReadyFd = 3;

int report(const std::string& line) {
  (void)!::write(kReadyFd, line.data(), line.size());
  ::close(kReadyFd);
  return line.rfind("ok ", 0) == 0 ? 0 : 1;
}

int fail(const char* step) {
  const int err = errno;
  std::fprintf(stderr, "silo-sandbox-holder: %s: %s\n", step, std::strerror(err));
  return report(std::string("error internal sandbox holder: ") + step + ": " + std::strerror(err) + "\n");
}

bool loopback_up() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  bool ok = ::ioctl(fd, SIOCGIFFLAGS, &request) == 0;
  request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP | IFF_RUNNING);
  ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &request) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: silo-sandbox-holder <hostname>\n(started by silod; not meant to be run by hand)\n");
    return 2;
  }
  // Blocked before anything else, so a stop that arrives early still ends us through sigwait.
  sigset_t stop;
  sigemptyset(&stop);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&stop, sig);
  ::sigprocmask(SIG_BLOCK, &stop, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  if (::unshare(CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS) != 0) return fail("unshare net, ipc and uts namespaces");
  const std::string hostname = argv[1];
  if (::sethostname(hostname.data(), hostname.size()) != 0) return fail("set the hostname");
  if (!loopback_up()) return fail("bring loopback up");
  if (::chdir("/") != 0) return fail("chdir /");
  report("ok " + std::to_string(::getpid()) + "\n");
  for (;;) {
    int received = 0;
    if (::sigwait(&stop, &received) == 0 && received != SIGHUP) return 0;
  }
}
