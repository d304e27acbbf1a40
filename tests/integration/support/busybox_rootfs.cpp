#include "tests/integration/support/busybox_rootfs.h"

#include "tests/integration/support/process.h"

#include <fstream>

namespace silo::testing {

namespace fs = std::filesystem;

void build_busybox_rootfs(const fs::path& root) {
  fs::create_directories(root / "bin");
  fs::create_directories(root / "etc");
  fs::create_directories(root / "tmp");
  fs::copy_file(kBusybox, root / "bin" / "busybox");
  for (const char* applet : {"sh", "echo", "hostname", "cat", "sleep", "true", "id", "nc", "head", "tr", "seq", "ls",
                             "rm", "touch", "grep", "unshare"}) {
    fs::create_symlink("busybox", root / "bin" / applet);
  }
  std::ofstream(root / "etc" / "passwd") << "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n";
  std::ofstream(root / "etc" / "group") << "root:x:0:\napp:x:1000:\nstaff:x:50:app\n";
}

bool pack_rootfs(const fs::path& root, const std::string& tar_path, std::string* why) {
  auto packed = run_process({"tar", "-C", root.string(), "-cf", tar_path, "."});
  if (packed.exit_code != 0) *why = packed.err;
  return packed.exit_code == 0;
}

}  // namespace silo::testing
