// Fuzzes the layer tar reader and safe extractor: arbitrary bytes (plain or gzip) are extracted
// into a fresh temporary folder under small limits. Any crash, sanitizer report, or file appearing
// outside that folder (checked on a sentinel beside it) is a finding.
#include "storage/layers/tar_extract.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>

namespace {

namespace fs = std::filesystem;

const fs::path& base_dir() {
  static const fs::path base = [] {
    std::string pattern = (fs::temp_directory_path() / "silo-tar-fuzz-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) std::abort();
    return fs::path(pattern);
  }();
  return base;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& base = base_dir();
  auto root = base / "layer";
  std::error_code ec;
  fs::remove_all(root, ec);
  fs::create_directories(root);
  int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) std::abort();
  silo::layers::ExtractLimits limits;
  limits.max_stream_bytes = 4 << 20;
  limits.max_file_bytes = 1 << 20;
  limits.max_entries = 256;
  silo::layers::MemorySource source(std::span<const char>(reinterpret_cast<const char*>(data), size));
  (void)silo::layers::extract_layer(source, fd, limits);
  ::close(fd);
  // Nothing may land beside the layer folder.
  for (const auto& item : fs::directory_iterator(base)) {
    if (item.path() != root) std::abort();
  }
  return 0;
}
