#include "storage/windows_layers/backup_stream.h"

#include "storage/windows_layers/text_codecs.h"

#include <cctype>

namespace silo::windows_layers {
namespace {

void append_utf16(std::string& out, std::u16string_view text) {
  for (char16_t unit : text) append_u16(out, static_cast<std::uint16_t>(unit));
}

bool is_drive_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

}  // namespace

void append_u16(std::string& out, std::uint16_t value) {
  out += static_cast<char>(value & 0xFF);
  out += static_cast<char>(value >> 8);
}

void append_u32(std::string& out, std::uint32_t value) {
  append_u16(out, static_cast<std::uint16_t>(value & 0xFFFF));
  append_u16(out, static_cast<std::uint16_t>(value >> 16));
}

void append_u64(std::string& out, std::uint64_t value) {
  append_u32(out, static_cast<std::uint32_t>(value & 0xFFFFFFFF));
  append_u32(out, static_cast<std::uint32_t>(value >> 32));
}

void append_stream_header(std::string& out, BackupStreamId id, std::uint64_t size, std::u16string_view name) {
  append_u32(out, static_cast<std::uint32_t>(id));
  append_u32(out, 0);  // dwStreamAttributes: nothing sparse or modified-when-read
  append_u64(out, size);
  append_u32(out, static_cast<std::uint32_t>(name.size() * 2));
  append_utf16(out, name);
}

Result<std::string> encode_reparse_point(std::string_view target_utf8, bool mount_point) {
  auto target = utf8_to_utf16(target_utf8);
  if (!target) return target.error();
  // The substitute name is the NT path the I/O manager follows; the print name is what users see.
  std::u16string nt_target;
  bool relative = false;
  const std::string_view t = target_utf8;
  if (t.starts_with("\\\\?\\")) {
    nt_target = u"\\??\\" + target->substr(4);
  } else if (t.starts_with("\\\\")) {
    nt_target = u"\\??\\UNC\\" + target->substr(2);
  } else if (t.size() >= 2 && is_drive_letter(t[0]) && t[1] == ':') {
    nt_target = u"\\??\\" + *target;
  } else {
    nt_target = *target;
    relative = true;
  }
  // Both names are counted strings but stored NUL-terminated, as Windows writes them.
  const std::size_t substitute_bytes = nt_target.size() * 2;
  const std::size_t print_bytes = target->size() * 2;
  std::size_t data_length = 8 + substitute_bytes + 2 + print_bytes + 2 + (mount_point ? 0 : 4);
  if (data_length > 0xFFFF) {
    return make_error(Errc::invalid_argument, "the link target \"" + std::string(target_utf8) + "\" is too long for a reparse point");
  }
  std::string out;
  append_u32(out, mount_point ? kReparseTagMountPoint : kReparseTagSymlink);
  append_u16(out, static_cast<std::uint16_t>(data_length));
  append_u16(out, 0);  // Reserved
  append_u16(out, 0);  // SubstituteNameOffset
  append_u16(out, static_cast<std::uint16_t>(substitute_bytes));
  append_u16(out, static_cast<std::uint16_t>(substitute_bytes + 2));  // PrintNameOffset
  append_u16(out, static_cast<std::uint16_t>(print_bytes));
  if (!mount_point) append_u32(out, relative ? 1 : 0);  // SYMLINK_FLAG_RELATIVE
  append_utf16(out, nt_target);
  append_u16(out, 0);
  append_utf16(out, *target);
  append_u16(out, 0);
  return out;
}

Result<std::string> encode_extended_attributes(const std::vector<std::pair<std::string, std::string>>& attributes) {
  std::string out;
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    const auto& [name, value] = attributes[i];
    if (name.empty() || name.size() > 255) {
      return make_error(Errc::invalid_argument, "the extended attribute name \"" + name + "\" must be 1 to 255 bytes");
    }
    if (value.size() > 0xFFFF) {
      return make_error(Errc::invalid_argument, "the extended attribute \"" + name + "\" is longer than 65535 bytes");
    }
    // Each entry is 8 bytes of header, the NUL-terminated name and the value, padded to 4 bytes;
    // NextEntryOffset is 0 on the last one.
    const std::size_t entry = 8 + name.size() + 1 + value.size();
    const std::size_t padded = (entry + 3) & ~std::size_t{3};
    const bool last = i + 1 == attributes.size();
    append_u32(out, last ? 0 : static_cast<std::uint32_t>(padded));
    out += '\0';  // Flags
    out += static_cast<char>(name.size());
    append_u16(out, static_cast<std::uint16_t>(value.size()));
    out += name;
    out += '\0';
    out += value;
    out.append(padded - entry, '\0');
  }
  return out;
}

}  // namespace silo::windows_layers
