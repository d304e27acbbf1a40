#include "core/engine/hcs/documents/results.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace silo::hcs {
namespace {

using nlohmann::json;

json parse_or_null(std::string_view text) {
  if (text.empty()) return nullptr;
  return json::parse(text, nullptr, /*allow_exceptions=*/false);  // discarded -> null
}

std::string hex(std::int32_t hr) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(hr));
  return text;
}

template <typename T>
T number_or(const json& object, const char* key, T fallback) {
  if (!object.is_object()) return fallback;
  auto found = object.find(key);
  if (found == object.end() || !found->is_number()) return fallback;
  return found->get<T>();
}

std::string string_or(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

bool bool_or(const json& object, const char* key) {
  if (!object.is_object()) return false;
  auto found = object.find(key);
  return found != object.end() && found->is_boolean() && found->get<bool>();
}

std::string event_messages(const json& result) {
  std::string out;
  if (!result.is_object() || !result.contains("ErrorEvents") || !result["ErrorEvents"].is_array()) return out;
  for (const json& event : result["ErrorEvents"]) {
    std::string message = string_or(event, "Message");
    if (message.empty()) continue;
    out += out.empty() ? " [" : "; ";
    out += message;
  }
  if (!out.empty()) out += "]";
  return out;
}

}  // namespace

Errc errc_for_hresult(std::int32_t hr) noexcept {
  switch (hr) {
    case hresult::kSystemNotFound:
    case hresult::kVmcomputeNotFound:
    case hresult::kElementNotFound:
      return Errc::not_found;
    case hresult::kSystemAlreadyExists:
      return Errc::already_exists;
    case hresult::kSystemAlreadyStopped:
    case hresult::kVmcomputeAlreadyStopped:
    case hresult::kProcessAlreadyStopped:
    case hresult::kInvalidState:
      return Errc::failed_precondition;
    case hresult::kAccessDenied:
    case static_cast<std::int32_t>(0x80070005):  // E_ACCESSDENIED
      return Errc::permission_denied;
    case hresult::kInvalidJson:
    case static_cast<std::int32_t>(0x80070057):  // E_INVALIDARG
      return Errc::invalid_argument;
    case hresult::kOperationTimeout:
    case hresult::kServiceDisconnect:
    case static_cast<std::int32_t>(0x80370102):  // HCS_E_HYPERV_NOT_INSTALLED
    case static_cast<std::int32_t>(0x80370108):  // HCS_E_CONNECT_FAILED
    case static_cast<std::int32_t>(0x80370109):  // HCS_E_CONNECTION_TIMEOUT
      return Errc::unavailable;
    default:
      return Errc::internal;
  }
}

bool is_already_stopped(std::int32_t hr) noexcept {
  return hr == hresult::kSystemAlreadyStopped || hr == hresult::kVmcomputeAlreadyStopped ||
         hr == hresult::kProcessAlreadyStopped || hr == hresult::kSystemNotFound ||
         hr == hresult::kVmcomputeNotFound;
}

Error hcs_error(std::string_view what, std::int32_t hr, std::string_view result_document,
                std::string_view system_text) {
  json result = parse_or_null(result_document);
  std::string text = string_or(result, "ErrorMessage");
  if (text.empty()) text = system_text.empty() ? std::string("no error text") : std::string(system_text);
  return make_error(errc_for_hresult(hr),
                    std::string(what) + ": " + text + event_messages(result) + " (HRESULT " + hex(hr) + ")");
}

SystemExit parse_system_exit(std::string_view document) {
  json status = parse_or_null(document);
  SystemExit out;
  out.status = number_or<std::int32_t>(status, "Status", 0);
  out.exit_type = string_or(status, "ExitType");
  if (out.exit_type.empty()) out.exit_type = "Unknown";
  return out;
}

ProcessExit parse_process_exit(std::string_view document) {
  json status = parse_or_null(document);
  ProcessExit out;
  out.process_id = number_or<std::uint32_t>(status, "ProcessId", 0);
  out.exited = bool_or(status, "Exited");
  out.last_wait_result = number_or<std::int32_t>(status, "LastWaitResult", 0);
  if (out.exited && out.last_wait_result == 0 && status.contains("ExitCode")) {
    out.exit_code = number_or<std::uint32_t>(status, "ExitCode", 0);
  }
  return out;
}

Result<engine::ContainerStats> container_stats_from_properties(std::string_view document, TimeNs read_at) {
  json properties = parse_or_null(document);
  if (!properties.is_object() || !properties.contains("Statistics") || !properties["Statistics"].is_object()) {
    return make_error(Errc::invalid_argument, "the HCS properties have no Statistics object");
  }
  const json& statistics = properties["Statistics"];
  engine::ContainerStats out;
  out.read_at = read_at;
  json processor = statistics.value("Processor", json::object());
  json memory = statistics.value("Memory", json::object());
  out.cpu_usage_ns = number_or<std::uint64_t>(processor, "TotalRuntime100ns", 0) * 100;
  out.memory_usage_bytes = number_or<std::uint64_t>(memory, "MemoryUsagePrivateWorkingSetBytes", 0);
  if (properties.contains("ProcessList") && properties["ProcessList"].is_array()) {
    out.pids_current = properties["ProcessList"].size();
  }
  return out;
}

std::string statistics_query() { return R"({"PropertyTypes":["Statistics","ProcessList"]})"; }

}  // namespace silo::hcs
