#include "storage/windows_layers/import_folder.h"

#include "storage/windows_layers/backup_stream.h"
#include "storage/windows_layers/text_codecs.h"

#include <array>
#include <set>

namespace silo::windows_layers {
namespace {

using layers::TarEntry;
using layers::TarEntryType;

constexpr std::int64_t kUnixEpochAsFiletime = 116'444'736'000'000'000;  // 1970-01-01 in FILETIME units
constexpr std::string_view kFolderMetadataSuffix = ".$wcidirs$";
constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueWhiteout = ".wh..wh..opq";

Error entry_error(std::uint64_t index, std::string_view name, const std::string& what) {
  return make_error(Errc::invalid_argument, "layer entry " + std::to_string(index) + " \"" + std::string(name) + "\": " + what);
}

bool has_prefix_folder(std::string_view name, std::string_view folder) {
  return name == folder || (name.size() > folder.size() && name.starts_with(folder) && name[folder.size()] == '/');
}

std::string parent_of(std::string_view name) {
  auto slash = name.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(name.substr(0, slash));
}

// Checks one '/'-separated name against the policy in import_folder.h and returns it without a
// leading "./" or a trailing '/'.
Result<std::string> checked_name(std::string_view raw, std::uint64_t index, const ImportFolderOptions& options) {
  std::string_view name = raw;
  while (name.starts_with("./")) name.remove_prefix(2);
  while (name.ends_with('/')) name.remove_suffix(1);
  if (name.empty()) return entry_error(index, raw, "the name is empty");
  if (name.size() > options.limits.max_path_bytes) {
    return entry_error(index, raw, "the name is longer than " + std::to_string(options.limits.max_path_bytes) + " bytes");
  }
  if (name.front() == '/') return entry_error(index, raw, "absolute names are not allowed in a layer");
  std::size_t start = 0;
  while (start <= name.size()) {
    auto end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return entry_error(index, raw, "empty, \".\" and \"..\" name components are not allowed");
    for (char c : part) {
      if (static_cast<unsigned char>(c) < 0x20 || std::string_view("\\:*?\"<>|").find(c) != std::string_view::npos) {
        return entry_error(index, raw, "the name has a character Windows does not allow in names");
      }
    }
    start = end + 1;
  }
  const bool files = has_prefix_folder(name, "Files");
  const bool hives = has_prefix_folder(name, "Hives");
  const bool utility_vm = has_prefix_folder(name, "UtilityVM");
  if (!files && !hives && !utility_vm) {
    return entry_error(index, raw, "a Windows layer holds only Files/, Hives/ and UtilityVM/ (is this a Linux layer?)");
  }
  if (utility_vm) {
    if (!options.base_layer) return entry_error(index, raw, "UtilityVM/ is only supported in a base layer (one without a parent)");
    if (name != "UtilityVM" && !has_prefix_folder(name, "UtilityVM/Files")) {
      return entry_error(index, raw, "UtilityVM/ holds only UtilityVM/Files/");
    }
  }
  return std::string(name);
}

// FILETIME of a Unix time, refused when it does not fit (FILETIME is 64-bit 100 ns ticks).
Result<std::int64_t> checked_filetime(std::int64_t seconds, std::uint32_t nanoseconds) {
  if (seconds > 900'000'000'000LL || seconds < -900'000'000'000LL) return make_error(Errc::invalid_argument, "out of range");
  return filetime_from_unix(seconds, nanoseconds);
}

class Converter {
 public:
  Converter(layers::TarEntryReader& tar, ImportFolderSink& sink, const ImportFolderOptions& options)
      : tar_(tar), sink_(sink), options_(options) {}

  Result<ImportFolderSummary> run() {
    if (options_.in_place && !options_.base_layer) {
      return make_error(Errc::internal, "only a base layer is written in place; a layer with parents goes through HCS's import");
    }
    for (;;) {
      auto next = tar_.next();
      if (!next) return next.error();
      if (!*next) break;
      const TarEntry& entry = **next;
      if (++summary_.entries > options_.limits.max_entries) {
        return make_error(Errc::invalid_argument,
                          "the layer has more than " + std::to_string(options_.limits.max_entries) + " entries (max-layer-entries)");
      }
      if (open_file_ && entry.type == TarEntryType::file && entry.name.starts_with(open_raw_name_ + ":")) {
        SILO_TRY(add_alternate_stream(entry));
        continue;
      }
      SILO_TRY(close_open_file());
      SILO_TRY(add(entry));
    }
    SILO_TRY(close_open_file());
    return summary_;
  }

 private:
  Result<void> add(const TarEntry& entry) {
    const std::uint64_t index = summary_.entries - 1;
    const std::string_view raw = entry.name;
    auto slash = raw.find_last_of('/', raw.ends_with('/') ? raw.size() - 2 : std::string_view::npos);
    std::string_view base = slash == std::string_view::npos ? raw : raw.substr(slash + 1);
    if (base.starts_with(kWhiteoutPrefix)) return add_whiteout(entry, index, raw.substr(0, raw.size() - base.size()), base);

    auto name = checked_name(raw, index, options_);
    if (!name) return name.error();
    SILO_TRY(check_placement(*name, index, raw));
    switch (entry.type) {
      case TarEntryType::hardlink: return add_hard_link(entry, *name, index);
      case TarEntryType::file:
      case TarEntryType::directory:
      case TarEntryType::symlink: break;
      default:
        return entry_error(index, raw, "devices, FIFOs and other special files do not exist in Windows layers");
    }
    auto attributes = file_attributes(entry, index);
    if (!attributes) return attributes.error();
    const bool folder = (*attributes & kFileAttributeDirectory) != 0;
    if (folder != (entry.type == TarEntryType::directory) && entry.type != TarEntryType::symlink) {
      return entry_error(index, raw, "its tar type and MSWINDOWS.fileattr disagree on whether it is a folder");
    }
    auto times = entry_times(entry, index);
    if (!times) return times.error();
    written_.insert(*name);
    if (*name == "Files") summary_.has_files = true;
    if (has_prefix_folder(*name, "Hives")) summary_.has_hives = true;
    if (!options_.in_place && has_prefix_folder(*name, "Hives")) return add_hive(entry, *name, folder, *times, index);
    if (*name == "UtilityVM/Files" && folder && entry.type == TarEntryType::directory) summary_.has_utility_vm = true;

    if (folder) {
      folders_.insert(*name);
      if (entry.type == TarEntryType::symlink) reparse_folders_.insert(*name);
    }
    if (options_.in_place) {
      SILO_TRY(sink_.create_entry(*name, folder, *attributes, *times));
    } else if (folder) {
      SILO_TRY(sink_.create_folder(*name));
      SILO_TRY(sink_.create_file(*name + std::string(kFolderMetadataSuffix)));
    } else {
      SILO_TRY(sink_.create_file(*name));
    }
    open_file_ = true;
    open_raw_name_ = std::string(raw);
    open_times_ = *times;
    std::string head;
    if (!options_.in_place) append_u32(head, *attributes);  // HCS's import format puts them first
    SILO_TRY(append_metadata_streams(head, entry, index));
    if (entry.type == TarEntryType::file) append_stream_header(head, BackupStreamId::data, entry.size);
    SILO_TRY(sink_.write(head));
    if (entry.type == TarEntryType::file) SILO_TRY(copy_data(entry, index));
    return {};
  }

  // Every entry's folder must come before it (Windows layer tars list folders first), and nothing
  // may go through a folder symlink or junction, which would write wherever it points.
  Result<void> check_placement(const std::string& name, std::uint64_t index, std::string_view raw) {
    if (written_.contains(name)) return entry_error(index, raw, "the layer has this name twice");
    const std::string parent = parent_of(name);
    if (!parent.empty() && !folders_.contains(parent)) {
      return entry_error(index, raw, "its folder \"" + parent + "\" is not in the layer before it");
    }
    for (std::string up = parent; !up.empty(); up = parent_of(up)) {
      if (reparse_folders_.contains(up)) return entry_error(index, raw, "\"" + up + "\" is a link; nothing may be written through it");
    }
    return {};
  }

  Result<void> add_whiteout(const TarEntry& entry, std::uint64_t index, std::string_view folder, std::string_view base) {
    if (base == kOpaqueWhiteout) {
      return entry_error(index, entry.name, "opaque whiteouts (.wh..wh..opq) are a Linux overlay feature, not part of Windows layers");
    }
    if (options_.in_place) return entry_error(index, entry.name, "a base layer (one without a parent) has nothing to delete");
    auto hidden = checked_name(std::string(folder) + std::string(base.substr(kWhiteoutPrefix.size())), index, options_);
    if (!hidden) return hidden.error();
    if (!has_prefix_folder(*hidden, "Files") || *hidden == "Files") {
      return entry_error(index, entry.name, "only names under Files/ can be deleted by a layer");
    }
    summary_.tombstones.push_back(*hidden);
    return {};
  }

  Result<void> add_hard_link(const TarEntry& entry, const std::string& name, std::uint64_t index) {
    auto target = checked_name(entry.link_name, index, options_);
    if (!target) return target.error();
    const bool files = has_prefix_folder(name, "Files") && has_prefix_folder(*target, "Files");
    const bool utility_vm = has_prefix_folder(name, "UtilityVM/Files") && has_prefix_folder(*target, "UtilityVM/Files");
    if (!files && !utility_vm) {
      return entry_error(index, entry.name, "a hard link and its target \"" + entry.link_name + "\" must both be under Files/ or UtilityVM/Files/");
    }
    if (folders_.contains(*target)) return entry_error(index, entry.name, "a hard link may not point at a folder");
    if (options_.in_place && !written_.contains(*target)) {
      return entry_error(index, entry.name, "a hard link in a base layer must point at a file the layer has before it");
    }
    summary_.hard_links.push_back({name, *target, written_.contains(*target)});
    written_.insert(name);
    return {};
  }

  // Hives are registry files HCS's import reads as they are: their plain contents, no attributes
  // or stream.
  Result<void> add_hive(const TarEntry& entry, const std::string& name, bool folder, const FileTimes& times, std::uint64_t index) {
    if (folder) {
      SILO_TRY(sink_.create_folder(name));
      folders_.insert(name);
      SILO_TRY(sink_.create_file(name + std::string(kFolderMetadataSuffix)));
      return sink_.close_file(times);
    }
    if (entry.type != TarEntryType::file) return entry_error(index, entry.name, "Hives/ holds only files");
    SILO_TRY(sink_.create_file(name));
    SILO_TRY(copy_data(entry, index));
    return sink_.close_file(times);
  }

  Result<void> add_alternate_stream(const TarEntry& entry) {
    const std::uint64_t index = summary_.entries - 1;
    const std::string stream = entry.name.substr(open_raw_name_.size());  // ":name"
    if (stream.size() < 2 || stream.find_first_of("/\\:", 1) != std::string::npos) {
      return entry_error(index, entry.name, "an alternate data stream needs a plain name after the ':'");
    }
    auto name = utf8_to_utf16(stream + ":$DATA");
    if (!name) return name.error();
    std::string head;
    append_stream_header(head, BackupStreamId::alternate_data, entry.size, *name);
    SILO_TRY(sink_.write(head));
    return copy_data(entry, index);
  }

  Result<std::uint32_t> file_attributes(const TarEntry& entry, std::uint64_t index) {
    auto found = entry.pax.find("MSWINDOWS.fileattr");
    if (found == entry.pax.end()) return entry.type == TarEntryType::directory ? kFileAttributeDirectory : 0U;
    auto value = layers::parse_pax_decimal(found->second, false);
    if (!value || *value > 0xFFFFFFFFLL) return entry_error(index, entry.name, "MSWINDOWS.fileattr \"" + found->second + "\" is not a 32-bit number");
    return static_cast<std::uint32_t>(*value);
  }

  Result<FileTimes> entry_times(const TarEntry& entry, std::uint64_t index) {
    FileTimes times;
    auto modified = checked_filetime(entry.mtime_seconds, entry.mtime_nanoseconds);
    if (!modified) return entry_error(index, entry.name, "its mtime is out of range for Windows");
    times.last_write = *modified;
    times.creation = times.last_access = times.change = times.last_write;
    const std::pair<const char*, std::int64_t*> fields[] = {
        {"LIBARCHIVE.creationtime", &times.creation}, {"atime", &times.last_access}, {"ctime", &times.change}};
    for (const auto& [key, field] : fields) {
      auto found = entry.pax.find(key);
      if (found == entry.pax.end()) continue;
      std::int64_t seconds = 0;
      std::uint32_t nanoseconds = 0;
      auto parsed = layers::parse_pax_time(found->second, seconds, nanoseconds) ? checked_filetime(seconds, nanoseconds)
                                                                               : make_error(Errc::invalid_argument, "not a pax time");
      if (!parsed) return entry_error(index, entry.name, std::string(key) + " \"" + found->second + "\" is not a pax time");
      *field = *parsed;
    }
    return times;
  }

  // Security descriptor, extended attributes and reparse data, in the order BackupRead gives them.
  Result<void> append_metadata_streams(std::string& head, const TarEntry& entry, std::uint64_t index) {
    if (entry.pax.contains("MSWINDOWS.sd")) {
      return entry_error(index, entry.name, "SDDL security descriptors (MSWINDOWS.sd) are not supported; write MSWINDOWS.rawsd");
    }
    if (auto raw = entry.pax.find("MSWINDOWS.rawsd"); raw != entry.pax.end()) {
      auto descriptor = decode_base64(raw->second);
      if (!descriptor) return entry_error(index, entry.name, "MSWINDOWS.rawsd: " + descriptor.error().message);
      append_stream_header(head, BackupStreamId::security, descriptor->size());
      head += *descriptor;
    }
    std::vector<std::pair<std::string, std::string>> attributes;  // sorted by name: std::map order
    constexpr std::string_view kAttributePrefix = "MSWINDOWS.xattr.";
    for (const auto& [key, value] : entry.pax) {
      if (!key.starts_with(kAttributePrefix)) continue;
      auto decoded = decode_base64(value);
      if (!decoded) return entry_error(index, entry.name, key + ": " + decoded.error().message);
      attributes.emplace_back(key.substr(kAttributePrefix.size()), std::move(*decoded));
    }
    if (!attributes.empty()) {
      auto encoded = encode_extended_attributes(attributes);
      if (!encoded) return entry_error(index, entry.name, encoded.error().message);
      append_stream_header(head, BackupStreamId::extended_attributes, encoded->size());
      head += *encoded;
    }
    if (entry.type == TarEntryType::symlink) {
      std::string target = entry.link_name;
      for (char& c : target) c = c == '/' ? '\\' : c;
      auto reparse = encode_reparse_point(target, entry.pax.contains("MSWINDOWS.mountpoint"));
      if (!reparse) return entry_error(index, entry.name, reparse.error().message);
      append_stream_header(head, BackupStreamId::reparse, reparse->size());
      head += *reparse;
    }
    return {};
  }

  Result<void> copy_data(const TarEntry& entry, std::uint64_t index) {
    if (entry.size > options_.limits.max_file_bytes) {
      return entry_error(index, entry.name, "the file is larger than the limit of " + std::to_string(options_.limits.max_file_bytes) +
                                                " bytes (max-layer-file-bytes)");
    }
    std::array<char, 64 * 1024> buffer{};
    std::uint64_t copied = 0;
    for (;;) {
      auto n = tar_.read_data(buffer);
      if (!n) return n.error();
      if (*n == 0) break;
      SILO_TRY(sink_.write(std::span<const char>(buffer.data(), *n)));
      copied += *n;
    }
    summary_.content_bytes += copied;
    return {};
  }

  Result<void> close_open_file() {
    if (!open_file_) return {};
    open_file_ = false;
    return sink_.close_file(open_times_);
  }

  layers::TarEntryReader& tar_;
  ImportFolderSink& sink_;
  const ImportFolderOptions& options_;
  ImportFolderSummary summary_;
  std::set<std::string> written_;          // every name this layer adds, hard links included
  std::set<std::string> folders_;          // the folders among them
  std::set<std::string> reparse_folders_;  // folder symlinks and junctions
  bool open_file_ = false;                 // a staged file is open: alternate streams may follow
  std::string open_raw_name_;
  FileTimes open_times_;
};

}  // namespace

Result<void> ImportFolderSink::create_entry(const std::string& name, bool, std::uint32_t, const FileTimes&) {
  return make_error(Errc::internal, "this sink writes HCS's import folder and cannot write " + name + " in place");
}

std::int64_t filetime_from_unix(std::int64_t seconds, std::uint32_t nanoseconds) {
  return kUnixEpochAsFiletime + seconds * 10'000'000 + nanoseconds / 100;
}

Result<ImportFolderSummary> write_import_folder(layers::TarEntryReader& tar, ImportFolderSink& sink, const ImportFolderOptions& options) {
  return Converter(tar, sink, options).run();
}

}  // namespace silo::windows_layers
