// Turns a Windows container layer tar (an OCI layer as docker, containerd and hcsshim write them:
// entries under Files/ and Hives/, pax records MSWINDOWS.fileattr, MSWINDOWS.rawsd,
// MSWINDOWS.xattr.*, MSWINDOWS.mountpoint, LIBARCHIVE.creationtime) into the folder HCS's layer
// import reads (HcsImportLayer's sourceFolderPath), in the format hcsshim's legacy layer writer
// produces (internal/wclayer/legacy.go):
//   - a file: a file of the same name holding its FILE_ATTRIBUTE_* as 4 bytes, then a backup
//     stream (security descriptor, extended attributes, reparse data, data, then its alternate
//     data streams, which follow it in the tar as "name:stream" entries);
//   - a folder: the folder itself, plus "<name>.$wcidirs$" holding its attributes and stream;
//   - Hives/: registry hives, written as their plain contents (HCS reads them as they are);
//   - whiteouts (".wh.<name>") are not written: they become tombstones, which the caller removes
//     from the imported layer, as hcsshim does after its ImportLayer call;
//   - hard links are not written either: they are returned, to be linked after the import.
// Each staged file gets the entry's times (creation, access, write, change as FILETIME).
//
// A base layer is written in place instead (ImportFolderOptions::in_place), as hcsshim's
// baseLayerWriter does: each entry becomes the file or folder itself, created with its attributes
// and times (create_entry), and its backup stream is handed to the sink to restore (BackupWrite on
// Windows); no attribute prefix, no "$wcidirs$" files, hives like any other file. A base layer has
// nothing to delete, so whiteouts are refused there; hard links are still returned to the caller.
//
// Policy: names are relative, with '/' separators, no "." or ".." components, no backslashes, no
// characters Windows forbids in names, and must lie under Files/ or Hives/ (UtilityVM/ only in a
// base layer). Devices, FIFOs and opaque whiteouts do not exist on Windows and are refused, as are
// SDDL security descriptors (MSWINDOWS.sd; docker and hcsshim write MSWINDOWS.rawsd). Nothing is
// written outside the sink's folder: the sink only ever sees checked relative names.
#pragma once

#include "storage/layers/extract_limits.h"
#include "storage/layers/tar_entry_reader.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace silo::windows_layers {

// FILETIME values: 100 ns intervals since 1601-01-01 UTC.
struct FileTimes {
  std::int64_t creation = 0;
  std::int64_t last_access = 0;
  std::int64_t last_write = 0;
  std::int64_t change = 0;
};

// Where the import folder is written. Names are relative to its root with '/' separators and are
// already checked; the sink maps them to its platform's paths.
class ImportFolderSink {
 public:
  virtual ~ImportFolderSink() = default;
  virtual Result<void> create_folder(const std::string& name) = 0;
  // Creates a new file (an existing one is an error) that the following write() calls fill.
  virtual Result<void> create_file(const std::string& name) = 0;
  virtual Result<void> write(std::span<const char> bytes) = 0;
  // Closes the file created last, stamping it with `times`.
  virtual Result<void> close_file(const FileTimes& times) = 0;
  // In-place layout only: creates `name` as the file or folder itself with its FILE_ATTRIBUTE_*
  // flags and times; write() then gives its backup stream, until close_file. The default refuses:
  // a sink for HCS's import folder never writes in place.
  virtual Result<void> create_entry(const std::string& name, bool folder, std::uint32_t attributes, const FileTimes& times);
};

struct PendingHardLink {
  std::string name;    // the link to create, e.g. "Files/Windows/System32/b.dll"
  std::string target;  // what it links to, in this layer or a parent, e.g. "Files/Windows/a.dll"
  bool target_in_this_layer = false;
};

struct ImportFolderSummary {
  std::vector<std::string> tombstones;  // e.g. "Files/ProgramData/old.txt": remove after the import
  std::vector<PendingHardLink> hard_links;
  std::uint64_t content_bytes = 0;  // data bytes of files and alternate streams
  std::uint64_t entries = 0;
  bool has_files = false;
  bool has_hives = false;
  bool has_utility_vm = false;  // the layer has the folder UtilityVM/Files (a utility VM image)
};

struct ImportFolderOptions {
  bool base_layer = false;  // true when the layer has no parent: UtilityVM/ is allowed only then
  bool in_place = false;    // base layers only: write the layer itself, not HCS's import folder
  layers::ExtractLimits limits;
};

// Reads every entry of `tar` and writes the import folder through `sink`. Errors are
// invalid_argument naming the entry, or whatever the sink returns; on error the sink's folder
// holds a partial result the caller discards.
Result<ImportFolderSummary> write_import_folder(layers::TarEntryReader& tar, ImportFolderSink& sink, const ImportFolderOptions& options);

// FILETIME from Unix seconds and nanoseconds.
std::int64_t filetime_from_unix(std::int64_t seconds, std::uint32_t nanoseconds);

}  // namespace silo::windows_layers
