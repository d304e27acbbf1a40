#include "tests/hcs/hcs_backend_fixture.h"

#include "core/logs/log_reader.h"

namespace silo::engine::hcs_backend::testing {

namespace {

template <typename F>
F lookup(HMODULE module, const char* name) {
  return reinterpret_cast<F>(reinterpret_cast<void*>(GetProcAddress(module, name)));
}

void make_folder(const std::filesystem::path& path) { std::filesystem::create_directories(path); }

}  // namespace

void HcsBackendTest::SetUp() {
  module_ = LoadLibraryA(SILO_HCS_DOUBLE_PATH);
  ASSERT_NE(module_, nullptr) << "cannot load the double " << SILO_HCS_DOUBLE_PATH;
  script_ = lookup<HcsDoubleScriptFn>(module_, "HcsDoubleScript");
  reset_ = lookup<HcsDoubleResetFn>(module_, "HcsDoubleReset");
  call_log_ = lookup<HcsDoubleCallLogFn>(module_, "HcsDoubleCallLog");
  fire_system_ = lookup<HcsDoubleFireSystemEventFn>(module_, "HcsDoubleFireSystemEvent");
  fire_process_ = lookup<HcsDoubleFireProcessEventFn>(module_, "HcsDoubleFireProcessEvent");
  reset_();
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  root_ = std::filesystem::temp_directory_path() /
          ("silo-hcs-backend-" + std::to_string(GetCurrentProcessId()) + "-" + info->name());
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
  const auto base = root_ / "layers" / "base";
  const auto top = root_ / "layers" / "top";
  for (const char* sub : {"Files", "Hives", "UtilityVM\\Files"}) make_folder(base / sub);
  make_folder(top / "Files");
  layers_ = {{"0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b", top.string()}, {"5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b", base.string()}};
}

void HcsBackendTest::TearDown() {
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

Result<HcsPlacement> RecordingPlacement::prepare(const LaunchRequest& request) {
  test_.prepared_.push_back(request.container_id);
  HcsPlacement placement;
  placement.layers = test_.layers_;
  if (request.config.isolation == Isolation::hyperv) {
    // The backend puts the container's root where its scratch disk is mounted in the VM.
    placement.utility_vm_scratch_vhdx = (test_.root_ / "vm" / "sandbox.vhdx").string();
    placement.container_scratch_vhdx = (test_.root_ / "scratch" / request.container_id / "sandbox.vhdx").string();
    placement.network_namespace = test_.network_namespace_;
    placement.vm_network = test_.vm_network_;
  } else {
    placement.scratch_path = "\\\\?\\Volume{6f3a2b1c-4d5e-4f60-9a8b-7c6d5e4f3a2b}\\";
  }
  return placement;
}

Result<void> RecordingPlacement::release(const std::string& container_id, const std::string& sandbox_id) {
  test_.released_.push_back(container_id + "@" + sandbox_id);
  return {};
}

std::unique_ptr<HcsBackend> HcsBackendTest::make_backend(Isolation isolation) {
  HcsBackendOptions options;
  options.isolation = isolation;
  options.target.build = hcs::kBuildWs2025;
  options.host_cpus = 8;
  HMODULE module = module_;
  options.load_api = [module]() -> Result<std::shared_ptr<const hcs::computecore::ComputeCoreApi>> {
    auto api = hcs::computecore::resolve_compute_core([module](std::string_view name) -> Result<void*> {
      void* address = reinterpret_cast<void*>(GetProcAddress(module, std::string(name).c_str()));
      if (address == nullptr) return make_error(Errc::not_found, "double lacks " + std::string(name));
      return address;
    });
    if (!api) return api.error();
    return std::make_shared<const hcs::computecore::ComputeCoreApi>(*api);
  };
  options.placement = std::make_shared<RecordingPlacement>(*this);
  if (isolation == Isolation::hyperv) script_("HcsGetComputeSystemProperties", 0, 0, guest_connection_.c_str());
  auto backend = std::make_unique<HcsBackend>(std::move(options));
  backend->set_exit_sink([this](const std::string& id, const std::string& exec_id, const ExitStatus& status) {
    std::lock_guard lock(mutex_);
    exits_[id + "/" + exec_id] = status;
    ++exit_reports_;
  });
  return backend;
}

LaunchRequest HcsBackendTest::request(const std::string& id, const std::string& sandbox, Isolation isolation) const {
  LaunchRequest request;
  request.container_id = id;
  request.container_name = id;
  request.sandbox_id = sandbox;
  request.spec.name = id;
  request.spec.command = {"ping", "-n", "3", "127.0.0.1"};
  request.config.isolation = isolation;
  request.state_dir = root_ / "containers" / id;
  return request;
}

json HcsBackendTest::calls() const {
  int size = call_log_(nullptr, 0);
  std::string text(static_cast<std::size_t>(size), '\0');
  call_log_(text.data(), size);
  text.resize(static_cast<std::size_t>(size - 1));
  return json::parse(text);
}

Names HcsBackendTest::names() const {
  Names out;
  for (const json& call : calls()) out.push_back(call["call"].get<std::string>());
  return out;
}

std::vector<json> HcsBackendTest::find_calls(const std::string& name) const {
  std::vector<json> out;
  for (const json& call : calls()) {
    if (call["call"] == name) out.push_back(call);
  }
  return out;
}

json HcsBackendTest::find_call(const std::string& name) const {
  auto found = find_calls(name);
  if (found.empty()) {
    ADD_FAILURE() << "no call " << name;
    return nullptr;
  }
  return found.front();
}

unsigned HcsBackendTest::last_pid() const {
  auto found = find_calls("HcsSetProcessCallback");
  return found.empty() ? 0 : found.back()["pid"].get<unsigned>();
}

std::string HcsBackendTest::log_text(const std::filesystem::path& state_dir) const {
  auto entries = logs::read_logs(state_dir, {});
  std::string text;
  if (!entries) return "(no log: " + entries.error().message + ")";
  for (const auto& entry : *entries) text += entry.stream + ": " + entry.text;
  return text;
}

std::optional<ExitStatus> HcsBackendTest::exit_of(const std::string& id, const std::string& exec_id) {
  std::lock_guard lock(mutex_);
  auto found = exits_.find(id + "/" + exec_id);
  if (found == exits_.end()) return std::nullopt;
  return found->second;
}

Names vm_requests(const std::vector<json>& calls) {
  Names out;
  for (const json& call : calls) {
    const json& request = call["document"];
    if (!request.contains("ResourcePath")) {  // for the guest only
      out.push_back(request["GuestRequest"]["RequestType"].get<std::string>() + " " +
                    request["GuestRequest"]["ResourceType"].get<std::string>());
    } else if (request["ResourcePath"].get<std::string>().find("VirtualSmb") != std::string::npos) {
      out.push_back(request["RequestType"].get<std::string>() + " share");
    } else {
      out.push_back(request["RequestType"].get<std::string>() + " " + request["ResourcePath"].get<std::string>());
    }
  }
  return out;
}

VmNetwork sandbox_vm_network() {
  return VmNetwork{kSandboxEndpoint, "00-15-5D-52-C0-0A", {{"ID", kSandboxNamespace}, {"Type", "Host"}},
                   {{"ID", kSandboxEndpoint}, {"MacAddress", "00-15-5D-52-C0-0A"}}};
}

}  // namespace silo::engine::hcs_backend::testing
