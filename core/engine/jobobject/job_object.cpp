#include "core/engine/jobobject/job_object.h"

#include "core/platform/windows/wide_text.h"
#include "core/platform/windows/win32_error.h"

#include <psapi.h>

namespace silo::engine::jobobject {

namespace {

using platform::windows::last_win32_error;
using platform::windows::UniqueHandle;

std::uint64_t ticks_to_ns(LARGE_INTEGER ticks) { return static_cast<std::uint64_t>(ticks.QuadPart) * 100; }

}  // namespace

std::wstring job_name_for(const std::string& container_id) {
  return L"JobContainer_" + platform::windows::to_wide(container_id);
}

Result<JobObject> JobObject::create(const std::wstring& name, const JobLimits& limits) {
  const std::string text = platform::windows::to_utf8(name);
  UniqueHandle handle(CreateJobObjectW(nullptr, name.c_str()));
  if (!handle) return last_win32_error("create job object " + text);
  if (GetLastError() == ERROR_ALREADY_EXISTS) {
    return make_error(Errc::conflict, "job object " + text + " exists already: a previous run of this container still runs");
  }
  JobObject job(std::move(handle), text);
  SILO_TRY(job.apply(limits));
  return job;
}

Result<JobObject> JobObject::open(const std::wstring& name) {
  const std::string text = platform::windows::to_utf8(name);
  UniqueHandle handle(OpenJobObjectW(JOB_OBJECT_QUERY | JOB_OBJECT_TERMINATE | JOB_OBJECT_ASSIGN_PROCESS, FALSE, name.c_str()));
  if (!handle) {
    const DWORD err = GetLastError();
    return platform::windows::win32_error(err == ERROR_FILE_NOT_FOUND ? Errc::not_found : platform::windows::errc_for_win32(err, Errc::internal),
                                          "open job object " + text, err);
  }
  return JobObject(std::move(handle), text);
}

Result<void> JobObject::apply(const JobLimits& limits) const {
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION extended{};
  // The monitor holds the only lasting handle: if it dies, nothing is left running unwatched.
  extended.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (limits.memory_bytes) {
    extended.BasicLimitInformation.LimitFlags |= JOB_OBJECT_LIMIT_JOB_MEMORY;
    extended.JobMemoryLimit = static_cast<SIZE_T>(*limits.memory_bytes);
  }
  if (limits.process_limit) {
    extended.BasicLimitInformation.LimitFlags |= JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
    extended.BasicLimitInformation.ActiveProcessLimit = *limits.process_limit;
  }
  if (!SetInformationJobObject(handle_.get(), JobObjectExtendedLimitInformation, &extended, sizeof extended)) {
    return last_win32_error("set the memory and process limits of job object " + name_);
  }
  if (!limits.cpu_rate && !limits.cpu_weight) return {};
  JOBOBJECT_CPU_RATE_CONTROL_INFORMATION cpu{};
  if (limits.cpu_rate) {
    cpu.ControlFlags = JOB_OBJECT_CPU_RATE_CONTROL_ENABLE | JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP;
    cpu.CpuRate = *limits.cpu_rate;
  } else {
    cpu.ControlFlags = JOB_OBJECT_CPU_RATE_CONTROL_ENABLE | JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED;
    cpu.Weight = *limits.cpu_weight;
  }
  if (!SetInformationJobObject(handle_.get(), JobObjectCpuRateControlInformation, &cpu, sizeof cpu)) {
    return last_win32_error("set the CPU rate control of job object " + name_);
  }
  return {};
}

Result<void> JobObject::assign(HANDLE process) const {
  if (!AssignProcessToJobObject(handle_.get(), process)) return last_win32_error("assign a process to job object " + name_);
  return {};
}

Result<void> JobObject::terminate(unsigned exit_code) const {
  if (!TerminateJobObject(handle_.get(), exit_code)) return last_win32_error("terminate job object " + name_);
  return {};
}

Result<std::vector<DWORD>> JobObject::process_ids() const {
  // Room for 1024 pids; a container with more is reported by its first 1024.
  constexpr DWORD kMax = 1024;
  std::vector<std::uint8_t> buffer(sizeof(JOBOBJECT_BASIC_PROCESS_ID_LIST) + kMax * sizeof(ULONG_PTR));
  auto* list = reinterpret_cast<JOBOBJECT_BASIC_PROCESS_ID_LIST*>(buffer.data());
  if (!QueryInformationJobObject(handle_.get(), JobObjectBasicProcessIdList, list, static_cast<DWORD>(buffer.size()), nullptr) &&
      GetLastError() != ERROR_MORE_DATA) {
    return last_win32_error("list the processes of job object " + name_);
  }
  std::vector<DWORD> pids;
  for (DWORD i = 0; i < list->NumberOfProcessIdsInList && i < kMax; ++i) pids.push_back(static_cast<DWORD>(list->ProcessIdList[i]));
  return pids;
}

Result<JobAccounting> JobObject::accounting() const {
  JOBOBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION basic{};
  if (!QueryInformationJobObject(handle_.get(), JobObjectBasicAndIoAccountingInformation, &basic, sizeof basic, nullptr)) {
    // Wine has only the basic class (ERROR_INVALID_FUNCTION for this one): no I/O counts there.
    if (!QueryInformationJobObject(handle_.get(), JobObjectBasicAccountingInformation, &basic.BasicInfo, sizeof basic.BasicInfo,
                                   nullptr)) {
      return last_win32_error("read the accounting of job object " + name_);
    }
  }
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION extended{};
  if (!QueryInformationJobObject(handle_.get(), JobObjectExtendedLimitInformation, &extended, sizeof extended, nullptr)) {
    return last_win32_error("read the limits of job object " + name_);
  }
  JobAccounting out;
  out.cpu_ns = ticks_to_ns(basic.BasicInfo.TotalUserTime) + ticks_to_ns(basic.BasicInfo.TotalKernelTime);
  out.active_processes = basic.BasicInfo.ActiveProcesses;
  out.total_processes = basic.BasicInfo.TotalProcesses;
  out.read_bytes = basic.IoInfo.ReadTransferCount;
  out.write_bytes = basic.IoInfo.WriteTransferCount;
  out.peak_memory_bytes = extended.PeakJobMemoryUsed;
  if (extended.BasicLimitInformation.LimitFlags & JOB_OBJECT_LIMIT_JOB_MEMORY) out.memory_limit_bytes = extended.JobMemoryLimit;
  if (extended.BasicLimitInformation.LimitFlags & JOB_OBJECT_LIMIT_ACTIVE_PROCESS) {
    out.process_limit = extended.BasicLimitInformation.ActiveProcessLimit;
  }
  // mingw-w64 10 lacks JobObjectMemoryUsageInformation; the live processes' private bytes are the
  // job's current commit, which is what the memory limit counts.
  if (auto pids = process_ids()) {
    for (DWORD pid : *pids) {
      UniqueHandle process(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid));
      PROCESS_MEMORY_COUNTERS_EX counters{};
      if (process && GetProcessMemoryInfo(process.get(), reinterpret_cast<PROCESS_MEMORY_COUNTERS*>(&counters), sizeof counters)) {
        out.memory_bytes += counters.PrivateUsage;
      }
    }
  }
  return out;
}

}  // namespace silo::engine::jobobject
