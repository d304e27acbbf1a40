#include "core/model/container_spec.h"

#include "core/model/stop_signal.h"

#include <gtest/gtest.h>

namespace silo {
namespace {

ContainerSpec minimal() {
  ContainerSpec spec;
  spec.command = {"/bin/sh", "-c", "echo hi"};
  return spec;
}

// Builders instead of designated initializers, which -Wmissing-field-initializers rejects.
ResourceLimits cpu(std::optional<std::int64_t> count, std::optional<std::int64_t> percent = {},
                   std::optional<std::int64_t> weight = {}) {
  ResourceLimits r;
  r.cpu_count = count;
  r.cpu_percent = percent;
  r.cpu_weight = weight;
  return r;
}

ResourceLimits pids(std::int64_t limit) {
  ResourceLimits r;
  r.pids_limit = limit;
  return r;
}

LogOptions log_options(std::int64_t max_size_bytes, std::int64_t max_files) {
  LogOptions log;
  log.max_size_bytes = max_size_bytes;
  log.max_files = max_files;
  return log;
}

void expect_message(const Result<void>& r, const std::string& message) {
  ASSERT_FALSE(r) << "expected: " << message;
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_EQ(r.error().message, message);
}

TEST(ContainerSpec, MinimalSpecIsValidAndDefaultsAreDocumented) {
  ContainerSpec spec = minimal();
  EXPECT_TRUE(validate_container_spec(spec));
  EXPECT_EQ(spec.stop_timeout_seconds, 10);
  EXPECT_EQ(spec.stop_signal, "SIGTERM");
  EXPECT_EQ(spec.log.max_size_bytes, 10 * 1024 * 1024);
  EXPECT_EQ(spec.log.max_files, 3);
}

TEST(ContainerSpec, CommandMustNameAProgramWithinBounds) {
  expect_message(validate_command({}), "command is empty; give the program to run and its arguments");
  expect_message(validate_command({"", "x"}), "command[0] is empty; it must name the program to run");
  expect_message(validate_command(std::vector<std::string>(257, "a")),
                 "command has 257 arguments; at most 256 are allowed");
  EXPECT_TRUE(validate_command(std::vector<std::string>(256, "a")));
  expect_message(validate_command({"sh", std::string(128 * 1024, 'x')}),
                 "command totals 131074 bytes; at most 131072 are allowed");
  expect_message(validate_command({"sh", std::string("a\0b", 3)}),
                 "command[1] must be UTF-8 text without NUL characters");
}

TEST(ContainerSpec, EnvEntriesAreKeyEqualsValue) {
  EXPECT_TRUE(validate_env({"K=V", "EMPTY=", "PATH=/a:/b", "X==y"}));
  expect_message(validate_env({"K=V", "NOEQUALS"}), "env[1] \"NOEQUALS\" must be KEY=VALUE with a non-empty KEY");
  expect_message(validate_env({"=value"}), "env[0] \"=value\" must be KEY=VALUE with a non-empty KEY");
  expect_message(validate_env(std::vector<std::string>(1025, "K=V")), "env has 1025 entries; at most 1024 are allowed");
}

TEST(ContainerSpec, UserIsShapeCheckedOnly) {
  for (const char* user : {"app", "1000", "1000:1000", "app:staff", "NT AUTHORITY\\SYSTEM", "ContainerUser",
                           "NT AUTHORITY\\Local service", "nobody-that-exists-anywhere"}) {
    EXPECT_TRUE(validate_user(user)) << user;
  }
  const std::string forms = "; use name, uid, uid:gid, name:group or DOMAIN\\name";
  expect_message(validate_user("a:b:c"), "user \"a:b:c\" is not a user" + forms);
  expect_message(validate_user(":1000"), "user \":1000\" is not a user" + forms);
  expect_message(validate_user("DOM\\"), "user \"DOM\\\" is not a user" + forms);
  expect_message(validate_user("a/b"), "user \"a/b\" is not a user" + forms);
  expect_message(validate_user(" app"),
                 "user \" app\" must be printable text without leading or trailing spaces" + forms);
  expect_message(validate_user("a\tb"),
                 "user \"a\tb\" must be printable text without leading or trailing spaces" + forms);
  expect_message(validate_user(std::string(257, 'u')), "user is 257 bytes; at most 256 are allowed");
}

TEST(ContainerSpec, ResourceLimitsNameFieldValueAndLimit) {
  ResourceLimits r;
  r.memory_bytes = 1024;
  expect_message(validate_resources(r), "resources.memoryBytes 1024 is below the minimum of 6291456 (6 MiB)");
  r.memory_bytes = 2 * kTiB;
  expect_message(validate_resources(r),
                 "resources.memoryBytes 2199023255552 is above the maximum of 1099511627776 (1 TiB)");
  r.memory_bytes = 6 * kMiB;
  EXPECT_TRUE(validate_resources(r));

  expect_message(validate_resources(cpu(0)), "resources.cpuCount 0 is below the minimum of 1");
  expect_message(validate_resources(cpu(1025)), "resources.cpuCount 1025 is above the maximum of 1024");
  expect_message(validate_resources(cpu({}, 101)), "resources.cpuPercent 101 is above the maximum of 100");
  expect_message(validate_resources(cpu({}, {}, -5)), "resources.cpuWeight -5 is below the minimum of 1");
  expect_message(validate_resources(cpu({}, {}, 10001)), "resources.cpuWeight 10001 is above the maximum of 10000");
  expect_message(validate_resources(pids(0)), "resources.pidsLimit 0 is below the minimum of 1");
  expect_message(validate_resources(pids(4194305)), "resources.pidsLimit 4194305 is above the maximum of 4194304");
  ResourceLimits typical = cpu(2);
  typical.memory_bytes = 64 * kMiB;
  typical.pids_limit = 100;
  EXPECT_TRUE(validate_resources(typical));
}

TEST(ContainerSpec, CpuControlsAreMutuallyExclusiveAsInHcs) {
  expect_message(validate_resources(cpu(2, 50)),
                 "resources.cpuCount and resources.cpuPercent are mutually exclusive (HCS accepts one CPU control per "
                 "container); set only one");
  expect_message(validate_resources(cpu(2, 50, 100)),
                 "resources.cpuCount, resources.cpuPercent and resources.cpuWeight are mutually exclusive (HCS accepts "
                 "one CPU control per container); set only one");
}

TEST(ContainerSpec, MountsNeedAbsolutePathsAndDistinctTargets) {
  EXPECT_TRUE(validate_mounts({{"/host/a", "/in/a", true},
                               {"C:\\data", "C:\\data", false},
                               {"\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine", false}}));
  expect_message(validate_mounts({{"", "/in", false}}), "mounts[0].source is empty; give an absolute path");
  expect_message(validate_mounts({{"/host", "", false}}), "mounts[0].target is empty; give an absolute path");
  expect_message(validate_mounts({{"/ok", "/a", false}, {"data", "/in", false}}),
                 "mounts[1].source \"data\" is relative; give an absolute path (/... or C:\\...) or a named pipe "
                 "(\\\\.\\pipe\\name)");
  expect_message(validate_mounts({{"/host", "in/x", false}}),
                 "mounts[0].target \"in/x\" is relative; give an absolute path (/... or C:\\...) or a named pipe "
                 "(\\\\.\\pipe\\name)");
  expect_message(validate_mounts({{"/host", "/in/../etc", false}}),
                 "mounts[0].target \"/in/../etc\" must not contain '..'");
  expect_message(validate_mounts({{"/a", "/data", false}, {"/b", "/data/", true}}),
                 "mounts[1].target \"/data/\" duplicates mounts[0].target; each target may be mounted once");
  // Windows compares paths without regard to case or separator.
  expect_message(validate_mounts({{"C:\\a", "C:\\Data", false}, {"C:\\b", "c:/data", false}}),
                 "mounts[1].target \"c:/data\" duplicates mounts[0].target; each target may be mounted once");
  expect_message(validate_mounts({{"\\\\.\\pipe\\a", "\\\\.\\pipe\\Engine", false},
                                  {"\\\\.\\pipe\\b", "\\\\.\\pipe\\engine", false}}),
                 "mounts[1].target \"\\\\.\\pipe\\engine\" duplicates mounts[0].target; each target may be mounted "
                 "once");
  expect_message(validate_mounts({{"\\\\.\\pipe\\x", "C:\\x", false}}),
                 "mounts[0]: a named pipe can only be mounted onto a named pipe (source \"\\\\.\\pipe\\x\", target "
                 "\"C:\\x\")");
  expect_message(validate_mounts(std::vector<MountSpec>(129, {"/a", "/b", false})),
                 "mounts has 129 entries; at most 128 are allowed");
}

TEST(ContainerSpec, StopTimeoutSignalAndLogOptions) {
  ContainerSpec spec = minimal();
  spec.stop_timeout_seconds = -1;
  expect_message(validate_container_spec(spec), "stopTimeoutSeconds -1 is below the minimum of 0");
  spec.stop_timeout_seconds = 3601;
  expect_message(validate_container_spec(spec), "stopTimeoutSeconds 3601 is above the maximum of 3600 (1 hour)");
  spec.stop_timeout_seconds = 0;
  spec.stop_signal = "SIGWINCH";
  expect_message(validate_container_spec(spec),
                 "stopSignal \"SIGWINCH\" is not a signal; use one of SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGKILL, "
                 "SIGUSR1, SIGUSR2 or a number from 1 to 64");
  spec.stop_signal = "15";
  EXPECT_TRUE(validate_container_spec(spec));

  expect_message(validate_log_options(log_options(1024, 3)),
                 "log.maxSizeBytes 1024 is below the minimum of 4096 (4 KiB)");
  expect_message(validate_log_options(log_options(2 * kGiB, 3)),
                 "log.maxSizeBytes 2147483648 is above the maximum of 1073741824 (1 GiB)");
  expect_message(validate_log_options(log_options(kMiB, 0)), "log.maxFiles 0 is below the minimum of 1");
  expect_message(validate_log_options(log_options(kMiB, 101)), "log.maxFiles 101 is above the maximum of 100");
}

TEST(ContainerSpec, SignalsByNameOrNumber) {
  EXPECT_EQ(parse_signal("stopSignal", "SIGTERM").value(), 15);
  EXPECT_EQ(parse_signal("stopSignal", "TERM").value(), 15);
  EXPECT_EQ(parse_signal("stopSignal", "SIGKILL").value(), 9);
  EXPECT_EQ(parse_signal("stopSignal", "SIGUSR2").value(), 12);
  EXPECT_EQ(parse_signal("stopSignal", "64").value(), 64);
  for (const char* bad : {"0", "65", "-1", "15x", "", "SIG", "sigterm", "99999999999"}) {
    EXPECT_FALSE(parse_signal("stopSignal", bad)) << bad;
  }
  EXPECT_EQ(signal_name(15), "SIGTERM");
  EXPECT_EQ(signal_name(40), "40");
}

TEST(ContainerSpec, ReferencesAndWorkingDir) {
  ContainerSpec spec = minimal();
  spec.sandbox = "pod1";
  spec.layer = "ab12";
  spec.working_dir = "C:\\app";
  EXPECT_TRUE(validate_container_spec(spec));
  spec.sandbox = "../etc";
  expect_message(validate_container_spec(spec),
                 "sandbox \"../etc\" is neither an id (hex) nor a name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)");
  spec.sandbox = "";
  spec.layer = "sha256:ab";
  expect_message(validate_container_spec(spec),
                 "layer \"sha256:ab\" must be a layer id: 1 to 64 lowercase hex characters");
  spec.layer.reset();
  spec.working_dir = "app";
  expect_message(validate_container_spec(spec),
                 "workingDir \"app\" must be an absolute path (/... or C:\\...) without '..'");
}

TEST(ContainerSpec, HostProcessAnnotationValuesAreStrict) {
  ContainerSpec spec = minimal();
  spec.annotations["microsoft.com/hostprocess-container"] = "yes";
  expect_message(validate_container_spec(spec),
                 "annotations[\"microsoft.com/hostprocess-container\"] \"yes\" must be \"true\" or \"false\"");
  spec.annotations["microsoft.com/hostprocess-container"] = "true";
  EXPECT_TRUE(validate_container_spec(spec));
}

}  // namespace
}  // namespace silo
