#include "core/engine/hcs/documents/command_line.h"

#include <gtest/gtest.h>

namespace silo::hcs {
namespace {

using Argv = std::vector<std::string>;

TEST(CommandLine, PlainArgumentsAreNotQuoted) {
  EXPECT_EQ(join_command_line({"ping", "-n", "3", "127.0.0.1"}), "ping -n 3 127.0.0.1");
}

TEST(CommandLine, ArgumentsWithBlanksOrEmptyAreQuoted) {
  EXPECT_EQ(quote_argument(""), "\"\"");
  EXPECT_EQ(quote_argument("a b"), "\"a b\"");
  EXPECT_EQ(quote_argument("a\tb"), "\"a\tb\"");
}

TEST(CommandLine, QuotesAndTheBackslashesBeforeThemAreEscaped) {
  EXPECT_EQ(quote_argument("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(quote_argument("a\\\"b"), "a\\\\\\\"b");
  // Backslashes not before a quote stay as they are...
  EXPECT_EQ(quote_argument("C:\\Program Files\\x"), "\"C:\\Program Files\\x\"");
  // ...except before the closing quote, where they are doubled.
  EXPECT_EQ(quote_argument("C:\\dir with space\\"), "\"C:\\dir with space\\\\\"");
}

TEST(CommandLine, SplitFollowsCommandLineToArgvW) {
  EXPECT_EQ(split_command_line("a b  c"), (Argv{"a", "b", "c"}));
  EXPECT_EQ(split_command_line("\"C:\\Program Files\\x.exe\" \"a b\" c"), (Argv{"C:\\Program Files\\x.exe", "a b", "c"}));
  // 2n backslashes + quote: n backslashes, the quote delimits.
  EXPECT_EQ(split_command_line("p a\\\\\"b c\""), (Argv{"p", "a\\b c"}));
  // 2n+1 backslashes + quote: n backslashes and a literal quote.
  EXPECT_EQ(split_command_line("p a\\\\\\\"b"), (Argv{"p", "a\\\"b"}));
  // Backslashes elsewhere are literal.
  EXPECT_EQ(split_command_line("p a\\\\b"), (Argv{"p", "a\\\\b"}));
  EXPECT_EQ(split_command_line("p \"\""), (Argv{"p", ""}));
  // The program name takes no escapes and ends at its closing quote.
  EXPECT_EQ(split_command_line("\"a\\\"b c"), (Argv{"a\\", "b", "c"}));
}

TEST(CommandLine, JoinThenSplitGivesTheSameArgv) {
  const std::vector<Argv> cases = {
      {"prog", "", "a b", "x\"y", "\\", "\\\\", "a\\", "a b\\", "\"", "\\\"", "tab\there", "end\\\\\""},
      {"C:\\Program Files\\app.exe", "--flag=\"q\"", "C:\\dir\\"},
  };
  for (const Argv& argv : cases) EXPECT_EQ(split_command_line(join_command_line(argv)), argv);
}

TEST(CommandLine, CmdPrefixIsAddedToArgvUnlessItRunsCmd) {
  EXPECT_EQ(with_cmd_prefix(Argv{"ping", "-n", "1", "x"}), (Argv{"cmd", "/c", "ping", "-n", "1", "x"}));
  EXPECT_EQ(with_cmd_prefix(Argv{"cmd", "/c", "dir"}), (Argv{"cmd", "/c", "dir"}));
  EXPECT_EQ(with_cmd_prefix(Argv{"C:\\Windows\\System32\\CMD.EXE", "/c", "dir"}),
            (Argv{"C:\\Windows\\System32\\CMD.EXE", "/c", "dir"}));
  // A program whose name merely starts with cmd is not cmd.
  EXPECT_EQ(with_cmd_prefix(Argv{"cmdkey", "/list"}), (Argv{"cmd", "/c", "cmdkey", "/list"}));
  EXPECT_EQ(with_cmd_prefix(Argv{}), Argv{});
}

TEST(CommandLine, CmdPrefixIsAddedToACommandLineUnlessItRunsCmd) {
  EXPECT_EQ(with_cmd_prefix(std::string_view("ping -n 1 x")), "cmd /c ping -n 1 x");
  EXPECT_EQ(with_cmd_prefix(std::string_view("cmd.exe /c dir")), "cmd.exe /c dir");
  EXPECT_EQ(with_cmd_prefix(std::string_view("c:/windows/system32/cmd /c dir")), "c:/windows/system32/cmd /c dir");
  EXPECT_EQ(with_cmd_prefix(std::string_view("cmdkey /list")), "cmd /c cmdkey /list");
}

TEST(CommandLine, BaseNameHandlesBothSeparatorsAndDrives) {
  EXPECT_EQ(windows_base_name("C:\\a\\b.exe"), "b.exe");
  EXPECT_EQ(windows_base_name("C:/a/b"), "b");
  EXPECT_EQ(windows_base_name("C:cmd"), "cmd");
  EXPECT_EQ(windows_base_name("dir\\"), "dir");
}

}  // namespace
}  // namespace silo::hcs
