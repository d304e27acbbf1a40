// Windows command lines. HCS takes one CommandLine string, which the new process splits back into
// argv with the CommandLineToArgvW rules; join_command_line quotes each argument so that split
// returns exactly the argv silo was given (as Go's syscall.EscapeArg does for hcsshim).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace silo::hcs {

// One argument, quoted only when it must be: empty, or containing a space or tab (then wrapped in
// quotes, with the backslashes before the closing quote doubled); a '"' always gets a backslash,
// and the backslashes before it are doubled.
std::string quote_argument(std::string_view argument);

// quote_argument of each, separated by one space.
std::string join_command_line(const std::vector<std::string>& argv);

// The CommandLineToArgvW rules (including the first argument's: it ends at the next quote or
// space with no escapes), for tests and for reading command lines back.
std::vector<std::string> split_command_line(std::string_view command_line);

// hcsshim PR #2531 (handleProcessArgsForIsolatedJobContainer): the guest starts a HostProcess
// container's processes from outside the container's silo, so the image lookup and shell
// built-ins only work through cmd.exe. argv gets "cmd" "/c" in front unless argv[0]'s base name is
// already cmd or cmd.exe (case-insensitive); so does a command line whose first word is not cmd.
std::vector<std::string> with_cmd_prefix(std::vector<std::string> argv);
std::string with_cmd_prefix(std::string_view command_line);

// filepath.Base for Windows paths: the part after the last '\', '/' or drive colon, trailing
// separators ignored.
std::string_view windows_base_name(std::string_view path);

}  // namespace silo::hcs
