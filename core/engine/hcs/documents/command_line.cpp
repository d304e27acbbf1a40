#include "core/engine/hcs/documents/command_line.h"

#include <algorithm>
#include <cctype>

namespace silo::hcs {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool names_cmd(std::string_view word) {
  std::string base(windows_base_name(word));
  std::transform(base.begin(), base.end(), base.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return base == "cmd" || base == "cmd.exe";
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// The program name: up to the closing quote if it starts with one, else up to a blank; no escapes.
std::size_t split_program(std::string_view line, std::vector<std::string>& out) {
  std::size_t i = 0;
  std::string program;
  if (!line.empty() && line[0] == '"') {
    for (i = 1; i < line.size() && line[i] != '"'; ++i) program.push_back(line[i]);
    if (i < line.size()) ++i;  // the closing quote
  } else {
    for (; i < line.size() && !is_blank(line[i]); ++i) program.push_back(line[i]);
  }
  out.push_back(std::move(program));
  return i;
}

// A run of quotes after backslashes: 2n backslashes + '"' give n backslashes and open/close
// quoting; 2n+1 give n backslashes and a literal '"'. Inside quotes every third quote of a run is
// literal (the modern msvcrt/shell32 rule).
std::size_t read_quotes(std::string_view line, std::size_t i, std::size_t backslashes, std::string& current,
                        int& quotes) {
  current.erase(current.size() - backslashes / 2 - (backslashes % 2));
  if (backslashes % 2 == 0) {
    ++quotes;
  } else {
    current.push_back('"');
  }
  for (++i; i < line.size() && line[i] == '"'; ++i) {
    if (++quotes == 3) {
      current.push_back('"');
      quotes = 0;
    }
  }
  if (quotes == 2) quotes = 0;
  return i;
}

}  // namespace

std::string quote_argument(std::string_view argument) {
  bool needs_quotes = argument.empty() || argument.find_first_of(" \t") != std::string_view::npos;
  std::string out;
  if (needs_quotes) out.push_back('"');
  std::size_t backslashes = 0;
  for (char c : argument) {
    if (c == '\\') {
      ++backslashes;
    } else if (c == '"') {
      out.append(backslashes + 1, '\\');
      backslashes = 0;
    } else {
      backslashes = 0;
    }
    out.push_back(c);
  }
  if (needs_quotes) {
    out.append(backslashes, '\\');
    out.push_back('"');
  }
  return out;
}

std::string join_command_line(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& argument : argv) {
    if (!out.empty()) out.push_back(' ');
    out += quote_argument(argument);
  }
  return out;
}

std::vector<std::string> split_command_line(std::string_view line) {
  std::vector<std::string> out;
  if (line.empty()) return out;
  std::size_t i = split_program(line, out);
  std::string current;
  bool in_argument = false;
  int quotes = 0;
  std::size_t backslashes = 0;
  while (i < line.size()) {
    char c = line[i];
    if (is_blank(c) && quotes == 0) {
      if (in_argument) out.push_back(std::move(current));
      current.clear();
      in_argument = false;
      backslashes = 0;
      ++i;
      continue;
    }
    in_argument = true;
    if (c == '"') {
      i = read_quotes(line, i, backslashes, current, quotes);
      backslashes = 0;
      continue;
    }
    backslashes = c == '\\' ? backslashes + 1 : 0;
    current.push_back(c);
    ++i;
  }
  if (in_argument) out.push_back(std::move(current));
  return out;
}

std::string_view windows_base_name(std::string_view path) {
  while (!path.empty() && (path.back() == '\\' || path.back() == '/')) path.remove_suffix(1);
  std::size_t cut = path.find_last_of("\\/:");
  return cut == std::string_view::npos ? path : path.substr(cut + 1);
}

std::vector<std::string> with_cmd_prefix(std::vector<std::string> argv) {
  if (argv.empty() || names_cmd(trim(argv[0]))) return argv;
  argv.insert(argv.begin(), {"cmd", "/c"});
  return argv;
}

std::string with_cmd_prefix(std::string_view command_line) {
  std::string_view rest = trim(command_line);
  std::string_view first = rest.substr(0, std::min(rest.size(), rest.find_first_of(" \t\r\n\v\f")));
  if (!first.empty() && names_cmd(first)) return std::string(command_line);
  return "cmd /c " + std::string(command_line);
}

}  // namespace silo::hcs
