// TEST ONLY: a stand-in for computecore.dll that records each call (with its documents parsed as
// JSON) and answers from a script, so the HCS client's call sequences can be asserted under Wine,
// which has no HCS. See hcs_double.h for the control exports. Never installed or shipped.
#include <windows.h>

#include <computedefs.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

struct Answer {
  HRESULT call = S_OK;
  HRESULT wait = S_OK;
  std::string document;
};

struct Operation {
  int number = 0;
  Answer answer;
  HCS_PROCESS_INFORMATION info{};
};

struct Subject {  // a compute system or a process
  std::string id;
  unsigned pid = 0;
  json parameters;  // a process's ProcessParameters
  HCS_EVENT_CALLBACK callback = nullptr;
  void* context = nullptr;
};

struct State {
  std::mutex mutex;
  std::map<std::string, std::deque<Answer>> scripts;
  json log = json::array();
  int next_operation = 1;
  unsigned next_pid = 100;
  std::vector<std::unique_ptr<Operation>> operations;
  std::vector<std::unique_ptr<Subject>> subjects;
};

State& state() {
  static State instance;
  return instance;
}

std::string utf8(PCWSTR text) {
  if (text == nullptr) return {};
  int bytes = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(bytes), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), bytes, nullptr, nullptr);
  out.pop_back();
  return out;
}

std::wstring wide(const std::string& text) {
  int chars = MultiByteToWideChar(CP_UTF8, 0, text.c_str(), -1, nullptr, 0);
  std::wstring out(static_cast<std::size_t>(chars), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.c_str(), -1, out.data(), chars);
  out.pop_back();
  return out;
}

// A document as JSON when it parses (so tests compare structure), else as the raw text.
json document(PCWSTR text) {
  if (text == nullptr) return nullptr;
  std::string raw = utf8(text);
  json parsed = json::parse(raw, nullptr, false);
  return parsed.is_discarded() ? json(raw) : parsed;
}

// Pops the scripted answer for `function` and records the call. Caller holds the mutex.
Answer take(const std::string& function, json entry) {
  State& s = state();
  entry["call"] = function;
  s.log.push_back(std::move(entry));
  auto& queue = s.scripts[function];
  if (queue.empty()) return Answer{};
  Answer answer = queue.front();
  queue.pop_front();
  return answer;
}

Operation* as_operation(HCS_OPERATION op) { return reinterpret_cast<Operation*>(op); }
Subject* as_subject(void* handle) { return static_cast<Subject*>(handle); }

Subject* new_subject(std::string id, unsigned pid) {
  auto subject = std::make_unique<Subject>();
  subject->id = std::move(id);
  subject->pid = pid;
  state().subjects.push_back(std::move(subject));
  return state().subjects.back().get();
}

// A system/process call that completes through its operation.
HRESULT operation_call(const char* function, HCS_OPERATION op, json entry) {
  std::lock_guard lock(state().mutex);
  entry["operation"] = as_operation(op)->number;
  Answer answer = take(function, std::move(entry));
  as_operation(op)->answer = answer;
  return answer.call;
}

// Real pipes, so the client gets handles it can read: stdout carries one line, then EOF.
void make_stdio(const json& parameters, unsigned pid, HCS_PROCESS_INFORMATION& info) {
  auto pipe = [](HANDLE& read, HANDLE& write) { CreatePipe(&read, &write, nullptr, 0); };
  if (parameters.is_object() && parameters.value("CreateStdInPipe", false)) {
    HANDLE read = nullptr;
    pipe(read, info.StdInput);
    CloseHandle(read);
  }
  if (parameters.is_object() && parameters.value("CreateStdOutPipe", false)) {
    HANDLE write = nullptr;
    pipe(info.StdOutput, write);
    std::string line = "hello from " + std::to_string(pid) + "\n";
    DWORD written = 0;
    WriteFile(write, line.data(), static_cast<DWORD>(line.size()), &written, nullptr);
    CloseHandle(write);
  }
  if (parameters.is_object() && parameters.value("CreateStdErrPipe", false)) {
    HANDLE write = nullptr;
    pipe(info.StdError, write);
    CloseHandle(write);
  }
}

HRESULT finish_wait(HCS_OPERATION op, DWORD timeout, PWSTR* result, const char* function) {
  std::lock_guard lock(state().mutex);
  Operation* operation = as_operation(op);
  take(function, json{{"operation", operation->number}, {"timeout_ms", timeout}});
  if (result != nullptr) {
    *result = nullptr;
    if (!operation->answer.document.empty()) {
      std::wstring text = wide(operation->answer.document);
      auto* copy = static_cast<PWSTR>(LocalAlloc(LMEM_FIXED, (text.size() + 1) * sizeof(wchar_t)));
      std::memcpy(copy, text.c_str(), (text.size() + 1) * sizeof(wchar_t));
      *result = copy;
    }
  }
  return operation->answer.wait;
}

int fire(Subject* subject, unsigned type, const char* data) {
  HCS_EVENT_CALLBACK callback = nullptr;
  void* context = nullptr;
  {
    std::lock_guard lock(state().mutex);
    if (subject == nullptr || subject->callback == nullptr) return 0;
    callback = subject->callback;
    context = subject->context;
  }
  std::wstring text = wide(data == nullptr ? "" : data);
  HCS_EVENT event{};
  event.Type = static_cast<HCS_EVENT_TYPE>(type);
  event.EventData = text.c_str();
  callback(&event, context);
  return 1;
}

}  // namespace

#define DOUBLE_EXPORT extern "C" __declspec(dllexport)

DOUBLE_EXPORT HCS_OPERATION WINAPI HcsCreateOperation(const void*, HCS_OPERATION_COMPLETION) {
  std::lock_guard lock(state().mutex);
  auto operation = std::make_unique<Operation>();
  operation->number = state().next_operation++;
  take("HcsCreateOperation", json{{"operation", operation->number}});
  state().operations.push_back(std::move(operation));
  return reinterpret_cast<HCS_OPERATION>(state().operations.back().get());
}

DOUBLE_EXPORT void WINAPI HcsCloseOperation(HCS_OPERATION op) {
  std::lock_guard lock(state().mutex);
  take("HcsCloseOperation", json{{"operation", as_operation(op)->number}});
}

DOUBLE_EXPORT HRESULT WINAPI HcsCancelOperation(HCS_OPERATION op) {
  std::lock_guard lock(state().mutex);
  return take("HcsCancelOperation", json{{"operation", as_operation(op)->number}}).call;
}

DOUBLE_EXPORT HRESULT WINAPI HcsWaitForOperationResult(HCS_OPERATION op, DWORD timeout, PWSTR* result) {
  return finish_wait(op, timeout, result, "HcsWaitForOperationResult");
}

DOUBLE_EXPORT HRESULT WINAPI HcsWaitForOperationResultAndProcessInfo(HCS_OPERATION op, DWORD timeout,
                                                                      HCS_PROCESS_INFORMATION* info, PWSTR* result) {
  HRESULT hr = finish_wait(op, timeout, result, "HcsWaitForOperationResultAndProcessInfo");
  if (info != nullptr) *info = as_operation(op)->info;
  return hr;
}

DOUBLE_EXPORT HRESULT WINAPI HcsCreateComputeSystem(PCWSTR id, PCWSTR configuration, HCS_OPERATION op,
                                                     const SECURITY_DESCRIPTOR*, HCS_SYSTEM* system) {
  HRESULT hr = operation_call("HcsCreateComputeSystem", op, json{{"id", utf8(id)}, {"document", document(configuration)}});
  std::lock_guard lock(state().mutex);
  *system = FAILED(hr) ? nullptr : reinterpret_cast<HCS_SYSTEM>(new_subject(utf8(id), 0));
  return hr;
}

DOUBLE_EXPORT HRESULT WINAPI HcsOpenComputeSystem(PCWSTR id, DWORD access, HCS_SYSTEM* system) {
  std::lock_guard lock(state().mutex);
  HRESULT hr = take("HcsOpenComputeSystem", json{{"id", utf8(id)}, {"access", access}}).call;
  *system = FAILED(hr) ? nullptr : reinterpret_cast<HCS_SYSTEM>(new_subject(utf8(id), 0));
  return hr;
}

DOUBLE_EXPORT void WINAPI HcsCloseComputeSystem(HCS_SYSTEM system) {
  std::lock_guard lock(state().mutex);
  Subject* subject = as_subject(system);
  take("HcsCloseComputeSystem", json{{"id", subject->id}});
  subject->callback = nullptr;  // as HCS: no event after close
}

DOUBLE_EXPORT HRESULT WINAPI HcsStartComputeSystem(HCS_SYSTEM system, HCS_OPERATION op, PCWSTR options) {
  return operation_call("HcsStartComputeSystem", op, json{{"id", as_subject(system)->id}, {"options", document(options)}});
}

DOUBLE_EXPORT HRESULT WINAPI HcsShutDownComputeSystem(HCS_SYSTEM system, HCS_OPERATION op, PCWSTR options) {
  return operation_call("HcsShutDownComputeSystem", op,
                        json{{"id", as_subject(system)->id}, {"options", document(options)}});
}

DOUBLE_EXPORT HRESULT WINAPI HcsTerminateComputeSystem(HCS_SYSTEM system, HCS_OPERATION op, PCWSTR options) {
  return operation_call("HcsTerminateComputeSystem", op,
                        json{{"id", as_subject(system)->id}, {"options", document(options)}});
}

DOUBLE_EXPORT HRESULT WINAPI HcsGetComputeSystemProperties(HCS_SYSTEM system, HCS_OPERATION op, PCWSTR query) {
  return operation_call("HcsGetComputeSystemProperties", op,
                        json{{"id", as_subject(system)->id}, {"query", document(query)}});
}

DOUBLE_EXPORT HRESULT WINAPI HcsModifyComputeSystem(HCS_SYSTEM system, HCS_OPERATION op, PCWSTR configuration,
                                                     HANDLE) {
  return operation_call("HcsModifyComputeSystem", op,
                        json{{"id", as_subject(system)->id}, {"document", document(configuration)}});
}

DOUBLE_EXPORT HRESULT WINAPI HcsSetComputeSystemCallback(HCS_SYSTEM system, HCS_EVENT_OPTIONS options,
                                                          const void* context, HCS_EVENT_CALLBACK callback) {
  std::lock_guard lock(state().mutex);
  Subject* subject = as_subject(system);
  auto context_value = reinterpret_cast<std::uintptr_t>(context);
  HRESULT hr = take("HcsSetComputeSystemCallback",
                    json{{"id", subject->id}, {"options", static_cast<unsigned>(options)}, {"context", context_value}})
                   .call;
  if (SUCCEEDED(hr)) {
    subject->callback = callback;
    subject->context = const_cast<void*>(context);
  }
  return hr;
}

DOUBLE_EXPORT HRESULT WINAPI HcsCreateProcess(HCS_SYSTEM system, PCWSTR parameters, HCS_OPERATION op,
                                               const SECURITY_DESCRIPTOR*, HCS_PROCESS* process) {
  json params = document(parameters);
  HRESULT hr = operation_call("HcsCreateProcess", op, json{{"id", as_subject(system)->id}, {"document", params}});
  std::lock_guard lock(state().mutex);
  *process = nullptr;
  if (FAILED(hr)) return hr;
  unsigned pid = state().next_pid++;
  Operation* operation = as_operation(op);
  operation->info.ProcessId = pid;
  if (SUCCEEDED(operation->answer.wait)) make_stdio(params, pid, operation->info);
  Subject* subject = new_subject(as_subject(system)->id, pid);
  subject->parameters = params;
  *process = reinterpret_cast<HCS_PROCESS>(subject);
  return hr;
}

DOUBLE_EXPORT HRESULT WINAPI HcsGetProcessInfo(HCS_PROCESS process, HCS_OPERATION op) {
  Subject* subject = as_subject(process);
  HRESULT hr = operation_call("HcsGetProcessInfo", op, json{{"pid", subject->pid}});
  std::lock_guard lock(state().mutex);
  Operation* operation = as_operation(op);
  operation->info.ProcessId = subject->pid;
  if (SUCCEEDED(hr) && SUCCEEDED(operation->answer.wait)) make_stdio(subject->parameters, subject->pid, operation->info);
  return hr;
}

DOUBLE_EXPORT void WINAPI HcsCloseProcess(HCS_PROCESS process) {
  std::lock_guard lock(state().mutex);
  Subject* subject = as_subject(process);
  take("HcsCloseProcess", json{{"pid", subject->pid}});
  subject->callback = nullptr;
}

DOUBLE_EXPORT HRESULT WINAPI HcsSignalProcess(HCS_PROCESS process, HCS_OPERATION op, PCWSTR options) {
  return operation_call("HcsSignalProcess", op, json{{"pid", as_subject(process)->pid}, {"options", document(options)}});
}

DOUBLE_EXPORT HRESULT WINAPI HcsTerminateProcess(HCS_PROCESS process, HCS_OPERATION op, PCWSTR options) {
  return operation_call("HcsTerminateProcess", op,
                        json{{"pid", as_subject(process)->pid}, {"options", document(options)}});
}

DOUBLE_EXPORT HRESULT WINAPI HcsModifyProcess(HCS_PROCESS process, HCS_OPERATION op, PCWSTR settings) {
  return operation_call("HcsModifyProcess", op, json{{"pid", as_subject(process)->pid}, {"document", document(settings)}});
}

DOUBLE_EXPORT HRESULT WINAPI HcsSetProcessCallback(HCS_PROCESS process, HCS_EVENT_OPTIONS options, void* context,
                                                    HCS_EVENT_CALLBACK callback) {
  std::lock_guard lock(state().mutex);
  Subject* subject = as_subject(process);
  auto context_value = reinterpret_cast<std::uintptr_t>(context);
  HRESULT hr = take("HcsSetProcessCallback",
                    json{{"pid", subject->pid}, {"options", static_cast<unsigned>(options)}, {"context", context_value}})
                   .call;
  if (SUCCEEDED(hr)) {
    subject->callback = callback;
    subject->context = context;
  }
  return hr;
}

// ---- control surface (hcs_double.h) ----

DOUBLE_EXPORT void HcsDoubleScript(const char* function, long call_hresult, long wait_hresult, const char* doc) {
  std::lock_guard lock(state().mutex);
  state().scripts[function].push_back(Answer{call_hresult, wait_hresult, doc == nullptr ? "" : doc});
}

DOUBLE_EXPORT void HcsDoubleReset() {
  std::lock_guard lock(state().mutex);
  state().scripts.clear();
  state().log = json::array();
  // Handles stay allocated: a client may still hold one while the next test starts.
}

DOUBLE_EXPORT int HcsDoubleCallLog(char* buffer, int size) {
  std::lock_guard lock(state().mutex);
  std::string text = state().log.dump();
  if (buffer != nullptr && size > 0) {
    std::size_t count = std::min(text.size(), static_cast<std::size_t>(size - 1));
    std::memcpy(buffer, text.data(), count);
    buffer[count] = '\0';
  }
  return static_cast<int>(text.size()) + 1;
}

DOUBLE_EXPORT int HcsDoubleFireSystemEvent(const char* id, unsigned type, const char* data) {
  Subject* found = nullptr;
  {
    std::lock_guard lock(state().mutex);
    for (auto& subject : state().subjects) {
      if (subject->pid == 0 && subject->id == id && subject->callback != nullptr) found = subject.get();
    }
  }
  return fire(found, type, data);
}

DOUBLE_EXPORT int HcsDoubleFireProcessEvent(unsigned pid, unsigned type, const char* data) {
  Subject* found = nullptr;
  {
    std::lock_guard lock(state().mutex);
    for (auto& subject : state().subjects) {
      if (subject->pid == pid && subject->callback != nullptr) found = subject.get();
    }
  }
  return fire(found, type, data);
}
