#include "core/engine/jobobject/job_process.h"

#include "core/platform/windows/wide_text.h"
#include "core/platform/windows/win32_error.h"

#include <userenv.h>

#include <algorithm>
#include <cwctype>
#include <memory>

namespace silo::engine::jobobject {

namespace {

using platform::windows::last_win32_error;
using platform::windows::to_wide;
using platform::windows::UniqueHandle;

std::wstring name_of(const std::wstring& entry) {
  // "=C:=C:\\dir" entries (per-drive directories) start with '=': their name includes it.
  const auto equals = entry.find(L'=', 1);
  std::wstring name = entry.substr(0, equals);
  std::transform(name.begin(), name.end(), name.begin(), [](wchar_t c) { return static_cast<wchar_t>(std::towupper(c)); });
  return name;
}

// The strings of a double-NUL-terminated block.
std::vector<std::wstring> split_block(const wchar_t* block) {
  std::vector<std::wstring> entries;
  for (const wchar_t* p = block; p != nullptr && *p != L'\0'; p += entries.back().size() + 1) entries.emplace_back(p);
  return entries;
}

Result<std::vector<std::wstring>> account_environment(HANDLE token) {
  if (token == nullptr) {
    wchar_t* block = GetEnvironmentStringsW();
    auto entries = split_block(block);
    FreeEnvironmentStringsW(block);
    return entries;
  }
  void* block = nullptr;
  if (!CreateEnvironmentBlock(&block, token, FALSE)) return last_win32_error("build the environment of the container's account");
  auto entries = split_block(static_cast<const wchar_t*>(block));
  DestroyEnvironmentBlock(block);
  return entries;
}

struct Pipe {
  UniqueHandle read;
  UniqueHandle write;  // inheritable: the child's end
};

Result<Pipe> make_pipe(const char* stream) {
  SECURITY_ATTRIBUTES inheritable{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE read = nullptr;
  HANDLE write = nullptr;
  if (!CreatePipe(&read, &write, &inheritable, 0)) return last_win32_error(std::string("create the ") + stream + " pipe");
  Pipe pipe{UniqueHandle(read), UniqueHandle(write)};
  SetHandleInformation(pipe.read.get(), HANDLE_FLAG_INHERIT, 0);
  return pipe;
}

// Only the three stdio handles are inherited, not whatever else the monitor has open.
class HandleList {
 public:
  Result<void> init(std::vector<HANDLE> handles) {
    handles_ = std::move(handles);
    SIZE_T size = 0;
    InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
    buffer_ = std::make_unique<std::uint8_t[]>(size);
    list_ = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(buffer_.get());
    if (!InitializeProcThreadAttributeList(list_, 1, 0, &size)) return last_win32_error("initialize a process attribute list");
    if (!UpdateProcThreadAttribute(list_, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles_.data(), handles_.size() * sizeof(HANDLE),
                                   nullptr, nullptr)) {
      return last_win32_error("set the handles the process inherits");
    }
    return {};
  }
  ~HandleList() {
    if (list_ != nullptr) DeleteProcThreadAttributeList(list_);
  }
  LPPROC_THREAD_ATTRIBUTE_LIST get() const { return list_; }

 private:
  std::vector<HANDLE> handles_;
  std::unique_ptr<std::uint8_t[]> buffer_;
  LPPROC_THREAD_ATTRIBUTE_LIST list_ = nullptr;
};

}  // namespace

std::wstring environment_block(const std::vector<std::wstring>& base, const std::vector<std::string>& overrides) {
  std::vector<std::wstring> entries = base;
  for (const auto& text : overrides) {
    std::wstring entry = to_wide(text);
    const std::wstring name = name_of(entry);
    std::erase_if(entries, [&](const std::wstring& existing) { return name_of(existing) == name; });
    entries.push_back(std::move(entry));
  }
  std::stable_sort(entries.begin(), entries.end(), [](const std::wstring& a, const std::wstring& b) { return name_of(a) < name_of(b); });
  std::wstring block;
  for (const auto& entry : entries) {
    block += entry;
    block += L'\0';
  }
  block += L'\0';
  return block;
}

Result<JobProcess> start_in_job(const JobObject& job, const JobProcessLaunch& launch) {
  if (launch.command_line.empty()) return make_error(Errc::invalid_argument, "command: a container needs a command");
  auto base = account_environment(launch.token);
  if (!base) return base.error();
  std::wstring env = environment_block(*base, launch.env);
  auto out = make_pipe("stdout");
  if (!out) return out.error();
  auto err = make_pipe("stderr");
  if (!err) return err.error();
  SECURITY_ATTRIBUTES inheritable{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  UniqueHandle null_in(CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inheritable, OPEN_EXISTING, 0, nullptr));
  if (!null_in) return last_win32_error("open NUL for stdin");
  HandleList inherited;
  SILO_TRY(inherited.init({null_in.get(), out->write.get(), err->write.get()}));

  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof startup;
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = null_in.get();
  startup.StartupInfo.hStdOutput = out->write.get();
  startup.StartupInfo.hStdError = err->write.get();
  startup.lpAttributeList = inherited.get();
  std::wstring command = to_wide(launch.command_line);  // CreateProcessW may write into it
  const std::wstring dir = to_wide(launch.working_dir);
  const DWORD flags = CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | CREATE_NEW_PROCESS_GROUP | EXTENDED_STARTUPINFO_PRESENT;
  PROCESS_INFORMATION info{};
  const BOOL created =
      launch.token == nullptr
          ? CreateProcessW(nullptr, command.data(), nullptr, nullptr, TRUE, flags, env.data(), dir.empty() ? nullptr : dir.c_str(),
                           &startup.StartupInfo, &info)
          : CreateProcessAsUserW(launch.token, nullptr, command.data(), nullptr, nullptr, TRUE, flags, env.data(),
                                 dir.empty() ? nullptr : dir.c_str(), &startup.StartupInfo, &info);
  if (!created) return last_win32_error("start \"" + launch.command_line + "\"", Errc::invalid_argument);
  UniqueHandle process(info.hProcess);
  UniqueHandle thread(info.hThread);
  if (auto assigned = job.assign(process.get()); !assigned) {
    TerminateProcess(process.get(), 1);
    return assigned.error();
  }
  if (ResumeThread(thread.get()) == static_cast<DWORD>(-1)) {
    auto error = last_win32_error("resume \"" + launch.command_line + "\"");
    TerminateProcess(process.get(), 1);
    return error;
  }
  return JobProcess{std::move(process), info.dwProcessId, std::move(out->read), std::move(err->read)};
}

}  // namespace silo::engine::jobobject
