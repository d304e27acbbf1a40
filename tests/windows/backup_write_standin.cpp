#include "tests/windows/backup_write_standin.h"

#include <algorithm>
#include <cstring>
#include <mutex>

namespace silo::windows_layers::testing {
namespace {

constexpr std::size_t kHeaderSize = 20;  // WIN32_STREAM_ID up to cStreamName

struct ParseState {
  RestoredEntry entry;
  unsigned char header[kHeaderSize] = {};
  std::size_t header_bytes = 0;
  std::uint32_t stream_id = 0;
  std::uint64_t name_left = 0;
  std::uint64_t data_left = 0;
};

std::mutex mutex;
std::vector<RestoredEntry> restored;
int open_contexts = 0;

std::string last_component(HANDLE file) {
  wchar_t path[MAX_PATH * 4];
  const DWORD n = GetFinalPathNameByHandleW(file, path, static_cast<DWORD>(std::size(path)), FILE_NAME_NORMALIZED);
  if (n == 0 || n >= std::size(path)) return {};
  std::wstring wide(path, n);
  wide = wide.substr(wide.find_last_of(L"\\/") + 1);
  std::string name;
  for (wchar_t c : wide) name += static_cast<char>(c < 0x80 ? c : '?');
  return name;
}

std::uint32_t u32(const unsigned char* p) { return p[0] | p[1] << 8 | p[2] << 16 | static_cast<std::uint32_t>(p[3]) << 24; }
std::uint64_t u64(const unsigned char* p) { return u32(p) | static_cast<std::uint64_t>(u32(p + 4)) << 32; }

}  // namespace

BOOL WINAPI backup_write_standin(HANDLE file, LPBYTE buffer, DWORD size, LPDWORD written, BOOL abort, BOOL, LPVOID* context) {
  *written = 0;
  auto* state = static_cast<ParseState*>(*context);
  if (abort) {
    if (state != nullptr) {
      std::lock_guard lock(mutex);
      restored.push_back(std::move(state->entry));
      --open_contexts;
      delete state;
      *context = nullptr;
    }
    return TRUE;
  }
  if (state == nullptr) {
    state = new ParseState;
    state->entry.name = last_component(file);
    *context = state;
    std::lock_guard lock(mutex);
    ++open_contexts;
  }
  DWORD used = 0;
  while (used < size) {
    if (state->name_left == 0 && state->data_left == 0 && state->header_bytes < kHeaderSize) {
      const std::size_t take = std::min<std::size_t>(kHeaderSize - state->header_bytes, size - used);
      std::memcpy(state->header + state->header_bytes, buffer + used, take);
      state->header_bytes += take;
      used += static_cast<DWORD>(take);
      if (state->header_bytes == kHeaderSize) {
        state->stream_id = u32(state->header);
        state->data_left = u64(state->header + 8);
        state->name_left = u32(state->header + 16);
        state->entry.stream_ids.push_back(state->stream_id);
        state->header_bytes = 0;
        if (state->name_left == 0 && state->data_left == 0) continue;
      }
      continue;
    }
    if (state->name_left > 0) {
      const auto take = static_cast<DWORD>(std::min<std::uint64_t>(state->name_left, size - used));
      state->name_left -= take;
      used += take;
      continue;
    }
    const auto take = static_cast<DWORD>(std::min<std::uint64_t>(state->data_left, size - used));
    if (state->stream_id == 1) {  // BACKUP_DATA: the file's contents
      DWORD put = 0;
      if (!WriteFile(file, buffer + used, take, &put, nullptr) || put != take) return FALSE;
    }
    state->data_left -= take;
    used += take;
  }
  *written = used;
  return TRUE;
}

std::vector<RestoredEntry> restored_entries() {
  std::lock_guard lock(mutex);
  return restored;
}

int open_standin_contexts() {
  std::lock_guard lock(mutex);
  return open_contexts;
}

void reset_backup_write_standin() {
  std::lock_guard lock(mutex);
  restored.clear();
  open_contexts = 0;
}

}  // namespace silo::windows_layers::testing
