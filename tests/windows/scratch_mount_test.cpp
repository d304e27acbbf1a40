// The vmcompute.dll scratch mount (core/engine/hcs/storage/scratch_mount.h) against the TEST-ONLY
// vmcompute.dll double, under Wine: the exact calls and arguments hcsshim makes to mount a
// process-isolated container's storage, its retry on the two transient errors and their limit, the
// undo on every failure after the VHD is attached, the error texts, unmount and destroy. Nothing
// here talks to a real HCS.
#include "core/engine/hcs/storage/scratch_mount.h"
#include "core/platform/windows/win32_error.h"
#include "tests/windows/vmcompute_double/vmcompute_double_handle.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace silo::hcs::storage {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr long kNotReady = static_cast<long>(0x80070015);            // HRESULT_FROM_WIN32(ERROR_NOT_READY)
constexpr long kDeviceNotConnected = static_cast<long>(0x8007048F);  // ... (ERROR_DEVICE_NOT_CONNECTED)
constexpr long kAccessDenied = static_cast<long>(0x80070005);
constexpr long kGenFailure = static_cast<long>(0x8007001F);
const std::string kDefaultVolume = "\\\\?\\Volume{5ca7c4a1-0000-4000-8000-000000000001}\\";

// Top-most first, base last; the app layer's id in upper case, as a caller might hold it.
const std::vector<LayerRef> kLayers = {{"0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9", "C:\\layers\\app"},
                                       {"22222222-2222-2222-2222-222222222222", "C:\\layers\\base"}};

const json kDriver = {{"flavour", 1}, {"home_dir", ""}};
const json kDescriptors = json::array({{{"id", "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"}, {"flags", 0}, {"path", "C:\\layers\\app"}},
                                       {{"id", "22222222-2222-2222-2222-222222222222"}, {"flags", 0}, {"path", "C:\\layers\\base"}}});

std::vector<std::string> functions(const json& log) {
  std::vector<std::string> names;
  for (const auto& call : log) names.push_back(call["function"].get<std::string>());
  return names;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class ScratchMountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(double_.load(SILO_VMCOMPUTE_DOUBLE_PATH), "");
    mounts_ = std::make_unique<ScratchMounts>(double_.api());
    root_ = fs::temp_directory_path() / ("silo-scratch-" + std::to_string(GetCurrentProcessId()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    scratch_ = root_ / "scratch";
  }
  void TearDown() override { fs::remove_all(root_); }

  json layer_call() const { return {{"driver", kDriver}, {"id", scratch_.string()}}; }

  testing::VmcomputeDoubleHandle double_;
  std::unique_ptr<ScratchMounts> mounts_;
  fs::path root_;
  fs::path scratch_;
};

TEST_F(ScratchMountTest, FirstMountCreatesTheSandboxVhdThenAttachesAndReturnsTheVolume) {
  auto volume = mounts_->mount(scratch_, kLayers);
  ASSERT_TRUE(volume) << volume.error().message;
  EXPECT_EQ(*volume, kDefaultVolume);
  EXPECT_TRUE(fs::exists(scratch_ / "sandbox.vhdx"));
  const json log = double_.calls();
  ASSERT_EQ(functions(log), (std::vector<std::string>{"CreateSandboxLayer", "ActivateLayer", "PrepareLayer",
                                                      "GetLayerMountPath", "GetLayerMountPath"}))
      << log.dump();
  EXPECT_EQ(log[0]["args"], (json{{"driver", kDriver}, {"id", scratch_.string()}, {"parent", nullptr},
                                  {"layers", kDescriptors}}));
  EXPECT_EQ(log[1]["args"], layer_call());
  EXPECT_EQ(log[2]["args"], (json{{"driver", kDriver}, {"id", scratch_.string()}, {"layers", kDescriptors}}));
  // First the length, then the text into a buffer of exactly that length.
  EXPECT_EQ(log[3]["args"], (json{{"driver", kDriver}, {"id", scratch_.string()}, {"length", 0}, {"buffer", false}}));
  EXPECT_EQ(log[4]["args"], (json{{"driver", kDriver}, {"id", scratch_.string()},
                                  {"length", kDefaultVolume.size() + 1}, {"buffer", true}}));
}

TEST_F(ScratchMountTest, AnExistingSandboxVhdIsKept) {
  fs::create_directories(scratch_);
  std::ofstream(scratch_ / "sandbox.vhdx") << "made by a client";
  ASSERT_TRUE(mounts_->mount(scratch_, kLayers));
  EXPECT_EQ(functions(double_.calls()),
            (std::vector<std::string>{"ActivateLayer", "PrepareLayer", "GetLayerMountPath", "GetLayerMountPath"}));
  std::ifstream vhd(scratch_ / "sandbox.vhdx");
  std::string content;
  std::getline(vhd, content);
  EXPECT_EQ(content, "made by a client");
}

TEST_F(ScratchMountTest, TheVolumePathGetsItsTrailingBackslash) {
  double_.set_mount_path("\\\\?\\Volume{0b5ce6b2-1f3c-4f0e-9d8a-0000000000aa}");
  auto volume = mounts_->mount(scratch_, kLayers);
  ASSERT_TRUE(volume) << volume.error().message;
  EXPECT_EQ(*volume, "\\\\?\\Volume{0b5ce6b2-1f3c-4f0e-9d8a-0000000000aa}\\");
}

TEST_F(ScratchMountTest, TransientErrorsAreRetriedAfterAPause) {
  double_.script("ActivateLayer", kDeviceNotConnected, 1);
  double_.script("PrepareLayer", kNotReady, 2);
  const auto started = std::chrono::steady_clock::now();
  auto volume = mounts_->mount(scratch_, kLayers);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(volume) << volume.error().message;
  EXPECT_EQ(*volume, kDefaultVolume);
  // A failed ActivateLayer has nothing to undo; a failed PrepareLayer detaches before the next try.
  EXPECT_EQ(functions(double_.calls()),
            (std::vector<std::string>{"CreateSandboxLayer", "ActivateLayer", "ActivateLayer", "PrepareLayer",
                                      "DeactivateLayer", "ActivateLayer", "PrepareLayer", "DeactivateLayer",
                                      "ActivateLayer", "PrepareLayer", "GetLayerMountPath", "GetLayerMountPath"}));
  EXPECT_GE(elapsed, 3 * ScratchMounts::kRetryPause);
}

TEST_F(ScratchMountTest, RetriesStopAfterFiveAttempts) {
  fs::create_directories(scratch_);
  std::ofstream(scratch_ / "sandbox.vhdx") << "x";
  double_.script("PrepareLayer", kNotReady, 6);  // one more than silo may try
  const auto started = std::chrono::steady_clock::now();
  auto volume = mounts_->mount(scratch_, kLayers);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(volume);
  EXPECT_EQ(volume.error().code, Errc::unavailable);
  const std::string& message = volume.error().message;
  EXPECT_TRUE(contains(message, "PrepareLayer '" + scratch_.string() + "'")) << message;
  EXPECT_TRUE(contains(message, "5 attempts")) << message;
  EXPECT_TRUE(contains(message, "0x80070015")) << message;
  std::vector<std::string> expected;
  for (int attempt = 0; attempt < 5; ++attempt) {
    expected.insert(expected.end(), {"ActivateLayer", "PrepareLayer", "DeactivateLayer"});
  }
  EXPECT_EQ(functions(double_.calls()), expected);
  EXPECT_GE(elapsed, 4 * ScratchMounts::kRetryPause);  // pauses between attempts, none after the last
}

TEST_F(ScratchMountTest, OtherPrepareFailuresDetachOnceWithoutRetrying) {
  double_.script("PrepareLayer", kAccessDenied, 1);
  auto volume = mounts_->mount(scratch_, kLayers);
  ASSERT_FALSE(volume);
  EXPECT_EQ(volume.error().code, Errc::permission_denied);
  EXPECT_TRUE(contains(volume.error().message, "PrepareLayer")) << volume.error().message;
  const json log = double_.calls();
  EXPECT_EQ(functions(log),
            (std::vector<std::string>{"CreateSandboxLayer", "ActivateLayer", "PrepareLayer", "DeactivateLayer"}));
  EXPECT_EQ(log[3]["args"], layer_call());
}

TEST_F(ScratchMountTest, AFailedActivateIsReportedAndNothingIsUndone) {
  double_.script("ActivateLayer", kGenFailure, 1);
  auto volume = mounts_->mount(scratch_, kLayers);
  ASSERT_FALSE(volume);
  EXPECT_TRUE(contains(volume.error().message, "ActivateLayer '" + scratch_.string() + "'"));
  EXPECT_EQ(functions(double_.calls()), (std::vector<std::string>{"CreateSandboxLayer", "ActivateLayer"}));
}

TEST_F(ScratchMountTest, AFailedMountPathUnpreparesAndDeactivates) {
  double_.script("GetLayerMountPath", S_OK, 1);
  double_.script("GetLayerMountPath", kGenFailure, 1);  // the second call, with the buffer
  auto volume = mounts_->mount(scratch_, kLayers);
  ASSERT_FALSE(volume);
  const std::string& message = volume.error().message;
  EXPECT_TRUE(contains(message, "GetLayerMountPath '" + scratch_.string() + "'")) << message;
  EXPECT_TRUE(contains(message, "0x8007001F")) << message;
  const json log = double_.calls();
  EXPECT_EQ(functions(log), (std::vector<std::string>{"CreateSandboxLayer", "ActivateLayer", "PrepareLayer",
                                                      "GetLayerMountPath", "GetLayerMountPath", "UnprepareLayer",
                                                      "DeactivateLayer"}));
  EXPECT_EQ(log[5]["args"], layer_call());
  EXPECT_EQ(log[6]["args"], layer_call());
}

TEST_F(ScratchMountTest, AnEmptyOrOverlongVolumePathIsRefusedAndUndone) {
  double_.set_mount_path("");
  auto empty = mounts_->mount(scratch_, kLayers);
  ASSERT_FALSE(empty);
  EXPECT_TRUE(contains(empty.error().message, "no volume path")) << empty.error().message;
  EXPECT_EQ(functions(double_.calls()).back(), "DeactivateLayer");

  double_.set_mount_path(std::string(ScratchMounts::kMaxMountPathChars, 'v'));  // plus the terminator: one too many
  auto overlong = mounts_->mount(scratch_, kLayers);
  ASSERT_FALSE(overlong);
  EXPECT_TRUE(contains(overlong.error().message, "the limit is 32767")) << overlong.error().message;
  const auto names = functions(double_.calls());
  ASSERT_GE(names.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(names.end() - 3, names.end()),
            (std::vector<std::string>{"GetLayerMountPath", "UnprepareLayer", "DeactivateLayer"}));
}

TEST_F(ScratchMountTest, ErrorsNameTheCallTheFolderAndTheSystemText) {
  double_.script("CreateSandboxLayer", kAccessDenied, 1);
  auto volume = mounts_->mount(scratch_, kLayers);
  ASSERT_FALSE(volume);
  EXPECT_EQ(volume.error().code, Errc::permission_denied);
  const std::string text = platform::windows::system_message(0x80070005u);
  ASSERT_NE(text, "no system message");  // else the assertion below would prove nothing
  EXPECT_EQ(volume.error().message,
            "CreateSandboxLayer '" + scratch_.string() + "': " + text + " (HRESULT 0x80070005)");
  EXPECT_EQ(functions(double_.calls()), (std::vector<std::string>{"CreateSandboxLayer"}));
  EXPECT_FALSE(fs::exists(scratch_ / "sandbox.vhdx"));
}

TEST_F(ScratchMountTest, LayersMustBeGivenWithGuids) {
  auto none = mounts_->mount(scratch_, {});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::invalid_argument);
  auto bad = mounts_->mount(scratch_, {{"not-a-guid", "C:\\layers\\base"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid_argument);
  EXPECT_TRUE(contains(bad.error().message, "C:\\layers\\base")) << bad.error().message;
  EXPECT_TRUE(contains(bad.error().message, "not-a-guid")) << bad.error().message;
  auto braced = mounts_->mount(scratch_, {{"{22222222-2222-2222-2222-222222222222}", "C:\\layers\\base"}});
  EXPECT_FALSE(braced);
  EXPECT_TRUE(double_.calls().empty());
}

TEST_F(ScratchMountTest, PrepareLayerRunsOneAtATimeAcrossMounts) {
  double_.set_prepare_delay(50);
  std::vector<std::thread> threads;
  std::vector<int> mounted(4, 0);  // not vector<bool>: its bits cannot be written from several threads
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      const fs::path scratch = root_ / ("scratch" + std::to_string(i));
      mounted[static_cast<std::size_t>(i)] = mounts_->mount(scratch, kLayers) ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mounted, std::vector<int>(4, 1));
  EXPECT_EQ(double_.most_concurrent_prepares(), 1);
}

TEST_F(ScratchMountTest, UnmountUnpreparesThenDeactivates) {
  ASSERT_TRUE(mounts_->unmount(scratch_));
  const json log = double_.calls();
  ASSERT_EQ(functions(log), (std::vector<std::string>{"UnprepareLayer", "DeactivateLayer"}));
  EXPECT_EQ(log[0]["args"], layer_call());
  EXPECT_EQ(log[1]["args"], layer_call());
}

TEST_F(ScratchMountTest, UnmountStopsAtAFailedUnprepareAndReportsIt) {
  double_.script("UnprepareLayer", kGenFailure, 1);
  auto unmounted = mounts_->unmount(scratch_);
  ASSERT_FALSE(unmounted);
  EXPECT_TRUE(contains(unmounted.error().message, "UnprepareLayer '" + scratch_.string() + "'"));
  EXPECT_EQ(functions(double_.calls()), (std::vector<std::string>{"UnprepareLayer"}));

  double_.script("DeactivateLayer", kGenFailure, 1);
  auto second = mounts_->unmount(scratch_);
  ASSERT_FALSE(second);
  EXPECT_TRUE(contains(second.error().message, "DeactivateLayer '" + scratch_.string() + "'"));
}

TEST_F(ScratchMountTest, DestroyDestroysTheLayerAndRemovesItsFolder) {
  fs::create_directories(scratch_);
  std::ofstream(scratch_ / "sandbox.vhdx") << "x";
  ASSERT_TRUE(mounts_->destroy(scratch_));
  const json log = double_.calls();
  ASSERT_EQ(functions(log), (std::vector<std::string>{"DestroyLayer"}));
  EXPECT_EQ(log[0]["args"], layer_call());
  EXPECT_FALSE(fs::exists(scratch_));
}

TEST_F(ScratchMountTest, AFailedDestroyKeepsTheFolderAndSaysWhy) {
  fs::create_directories(scratch_);
  double_.script("DestroyLayer", static_cast<long>(0x80070020), 1);  // sharing violation: still mounted
  auto destroyed = mounts_->destroy(scratch_);
  ASSERT_FALSE(destroyed);
  EXPECT_EQ(destroyed.error().code, Errc::conflict);
  EXPECT_TRUE(contains(destroyed.error().message, "DestroyLayer '" + scratch_.string() + "'"));
  EXPECT_TRUE(fs::exists(scratch_));
}

TEST(VmcomputeFromSystem32, IsUnavailableWithWhatToInstallWhenAbsent) {
  // Wine has no vmcompute.dll; the double, loaded by other tests, is unloaded by then.
  ASSERT_EQ(GetModuleHandleW(L"vmcompute.dll"), nullptr);
  auto api = load_system_vmcompute_layers();
  ASSERT_FALSE(api);
  EXPECT_EQ(api.error().code, Errc::unavailable);
  EXPECT_TRUE(contains(api.error().message, "vmcompute.dll")) << api.error().message;
  EXPECT_TRUE(contains(api.error().message, "install the Containers feature")) << api.error().message;
}

TEST(VmcomputeFromSystem32, RefusesAVmcomputeDllLoadedFromElsewhere) {
  // A DLL of the same name already in the process (here the double, loaded by its full path) is
  // what LoadLibraryEx hands back even when asked for System32; silo must not use it.
  testing::VmcomputeDoubleHandle planted;
  ASSERT_EQ(planted.load(SILO_VMCOMPUTE_DOUBLE_PATH), "");
  auto api = load_system_vmcompute_layers();
  ASSERT_FALSE(api);
  EXPECT_EQ(api.error().code, Errc::unavailable);
  EXPECT_TRUE(contains(api.error().message, "not from System32")) << api.error().message;
}

TEST(VmcomputeFromSystem32, TransientErrorsAreExactlyNotReadyAndDeviceNotConnected) {
  EXPECT_TRUE(is_transient_layer_error(static_cast<HRESULT>(kNotReady)));
  EXPECT_TRUE(is_transient_layer_error(static_cast<HRESULT>(kDeviceNotConnected)));
  EXPECT_FALSE(is_transient_layer_error(static_cast<HRESULT>(kGenFailure)));
  EXPECT_FALSE(is_transient_layer_error(static_cast<HRESULT>(0x00000015)));  // a success code, not an error
  EXPECT_EQ(vmcompute_error("ActivateLayer", static_cast<HRESULT>(kNotReady)).code, Errc::unavailable);
}

}  // namespace
}  // namespace silo::hcs::storage
