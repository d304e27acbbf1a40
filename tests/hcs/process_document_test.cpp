#include "core/engine/hcs/documents/process_document.h"

#include "core/engine/hcs/documents/container_document.h"
#include "tests/hcs/golden.h"

#include <gtest/gtest.h>

namespace silo::hcs {
namespace {

using namespace silo::hcs::testing;

TEST(ProcessParameters, MatchesGolden) {
  ProcessInputs inputs;
  inputs.argv = {"C:\\Program Files\\app\\app.exe", "--name", "a b", "--empty", ""};
  inputs.env = {"PATH=C:\\Windows", "EMPTY=", "A=1"};
  inputs.working_dir = "C:\\app";
  inputs.user = "ContainerUser";
  inputs.create_stdin_pipe = true;
  auto doc = process_parameters(inputs);
  ASSERT_TRUE(doc) << doc.error().message;
  expect_golden("process_parameters", to_text(*doc));
}

TEST(ProcessParameters, HostProcessInVmRunsThroughCmdAsSystem) {
  ProcessInputs inputs;
  inputs.argv = {"powershell", "-Command", "Get-Date"};
  inputs.user = "NT AUTHORITY\\SYSTEM";
  inputs.hostprocess_in_vm = true;
  auto doc = process_parameters(inputs);
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ((*doc)["CommandLine"], "cmd /c powershell -Command Get-Date");
  expect_golden("process_parameters_hostprocess_in_vm", to_text(*doc));
}

TEST(ProcessParameters, ConsoleMergesStderr) {
  ProcessInputs inputs;
  inputs.argv = {"cmd"};
  inputs.emulate_console = true;
  auto doc = process_parameters(inputs);
  ASSERT_TRUE(doc);
  EXPECT_EQ((*doc)["EmulateConsole"], true);
  EXPECT_FALSE(doc->contains("CreateStdErrPipe"));
}

TEST(ProcessParameters, BadInputIsRefused) {
  EXPECT_FALSE(process_parameters(ProcessInputs{}));
  ProcessInputs inputs;
  inputs.argv = {"x"};
  inputs.env = {"NOVALUE"};
  auto doc = process_parameters(inputs);
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find("NOVALUE"), std::string::npos);
}

}  // namespace
}  // namespace silo::hcs
