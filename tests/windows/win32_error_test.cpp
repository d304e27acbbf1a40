// The Win32 error conversion, run under Wine: the messages a user reads when a Windows call fails.
#include "core/platform/windows/win32_error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <windows.h>

#include <string>

namespace silo::platform::windows {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// A path under the temp folder that nothing created: the test's own name makes it unique.
std::wstring missing_path() {
  wchar_t temp[MAX_PATH + 1] = {};
  const DWORD n = GetTempPathW(MAX_PATH + 1, temp);
  EXPECT_GT(n, 0u) << "GetTempPathW failed: " << GetLastError();
  return std::wstring(temp, n) + L"silo-win32-error-test-no-such-file.txt";
}

TEST(Win32Error, FailedCallNamesWhatFailedTheSystemTextAndTheNumber) {
  const std::wstring path = missing_path();
  HANDLE file =
      CreateFileW(path.c_str(), GENERIC_READ, 0, nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_EQ(file, INVALID_HANDLE_VALUE) << "the file should not exist";

  const Error error = last_win32_error("opening the layer file");
  EXPECT_EQ(error.code, Errc::not_found);
  EXPECT_THAT(error.message, StartsWith("opening the layer file: "));
  EXPECT_THAT(error.message, EndsWith(" (Win32 error 2)"));
  // The system's own words sit between the two, without FormatMessage's trailing ".\r\n".
  const std::string text = system_message(ERROR_FILE_NOT_FOUND);
  EXPECT_THAT(text, Not(HasSubstr("no system message")));
  EXPECT_THAT(text, Not(HasSubstr("\n")));
  EXPECT_THAT(text, Not(EndsWith(".")));
  EXPECT_EQ(error.message, "opening the layer file: " + text + " (Win32 error 2)");
}

TEST(Win32Error, CommonCodesMapToTheErrcAUserExpects) {
  EXPECT_EQ(errc_for_win32(ERROR_PATH_NOT_FOUND, Errc::internal), Errc::not_found);
  EXPECT_EQ(errc_for_win32(ERROR_ACCESS_DENIED, Errc::internal), Errc::permission_denied);
  EXPECT_EQ(errc_for_win32(ERROR_ALREADY_EXISTS, Errc::internal), Errc::already_exists);
  EXPECT_EQ(errc_for_win32(ERROR_SHARING_VIOLATION, Errc::internal), Errc::conflict);
  EXPECT_EQ(errc_for_win32(ERROR_INVALID_FUNCTION, Errc::unavailable), Errc::unavailable);
  const Error denied = win32_error(Errc::permission_denied, "opening \\\\.\\pipe\\silod", ERROR_ACCESS_DENIED);
  EXPECT_THAT(denied.message, StartsWith("opening \\\\.\\pipe\\silod: "));
  EXPECT_THAT(denied.message, EndsWith(" (Win32 error 5)"));
}

TEST(Win32Error, CodeWithoutSystemTextStillCarriesItsNumber) {
  // Bit 29 marks application-defined codes, which the system has no text for.
  const Error error = win32_error(Errc::internal, "starting the container", 0x20001234u);
  EXPECT_EQ(error.message, "starting the container: no system message (Win32 error 536875572)");
}

TEST(Win32Error, HresultIsPrintedInHex) {
  const auto hcs_system_not_found = static_cast<std::int32_t>(0xC037010Eu);
  const Error error = hresult_error(Errc::unavailable, "HcsOpenComputeSystem", hcs_system_not_found);
  EXPECT_EQ(error.code, Errc::unavailable);
  EXPECT_THAT(error.message, StartsWith("HcsOpenComputeSystem: "));
  EXPECT_THAT(error.message, EndsWith(" (HRESULT 0xC037010E)"));

  // A Win32 error wrapped in an HRESULT reads as the Win32 error itself.
  const Error denied = hresult_error(Errc::permission_denied, "HcsCreateComputeSystem",
                                     static_cast<std::int32_t>(0x80070005u));
  EXPECT_EQ(denied.message,
            "HcsCreateComputeSystem: " + system_message(ERROR_ACCESS_DENIED) + " (HRESULT 0x80070005)");
}

}  // namespace
}  // namespace silo::platform::windows
