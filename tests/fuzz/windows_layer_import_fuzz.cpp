// Fuzzes silo's own tar reader and the Windows layer conversion behind it: arbitrary bytes are
// read as a layer tar and converted into an import folder held by a sink that checks every name it
// is given. A crash, a sanitizer report, or a name that is absolute, climbs with "..", or lies
// outside Files/, Hives/ and UtilityVM/ is a finding.
#include "storage/layers/digesting_source.h"
#include "storage/layers/tar_entry_reader.h"
#include "storage/windows_layers/import_folder.h"

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

namespace {

using silo::Result;

class CheckingSink final : public silo::windows_layers::ImportFolderSink {
 public:
  Result<void> create_folder(const std::string& name) override { return check(name); }
  Result<void> create_file(const std::string& name) override { return check(name); }
  Result<void> create_entry(const std::string& name, bool, std::uint32_t, const silo::windows_layers::FileTimes&) override {
    return check(name);
  }
  Result<void> write(std::span<const char> bytes) override {
    written_ += bytes.size();
    if (written_ > (64U << 20)) std::abort();  // more than the limits allow
    return {};
  }
  Result<void> close_file(const silo::windows_layers::FileTimes&) override { return {}; }

 private:
  static Result<void> check(const std::string& name) {
    const bool inside = name.starts_with("Files") || name.starts_with("Hives") || name.starts_with("UtilityVM");
    if (!inside || name.starts_with('/') || name.find('\\') != std::string::npos) std::abort();
    // A ".." component climbs; "a..b" is an ordinary name.
    const std::string padded = "/" + name + "/";
    if (padded.find("/../") != std::string::npos || padded.find("/./") != std::string::npos) std::abort();
    return {};
  }
  std::uint64_t written_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  silo::layers::MemorySource body(std::span<const char>(reinterpret_cast<const char*>(data), size));
  silo::layers::DigestingSource stream(body, 8 << 20);
  silo::layers::TarEntryReader tar(stream, {.max_metadata_bytes = 64 << 10, .max_name_bytes = 1024});
  CheckingSink sink;
  silo::windows_layers::ImportFolderOptions options;
  options.base_layer = size % 2 == 0;  // both kinds of layer
  options.in_place = size % 4 == 0;    // and base layers both as HCS's import folder and in place
  options.limits.max_file_bytes = 1 << 20;
  options.limits.max_entries = 256;
  options.limits.max_path_bytes = 1024;
  (void)silo::windows_layers::write_import_folder(tar, sink, options);
  return 0;
}
