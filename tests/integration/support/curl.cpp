#include "tests/integration/support/curl.h"

#include "tests/integration/support/process.h"

#include <fstream>
#include <sstream>
#include <strings.h>

namespace silo::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  return s;
}

// curl -D writes every response's head; the last one is the answer (earlier ones would be 100s).
void parse_head(const std::string& dump, ObservedResponse& response) {
  std::istringstream lines(dump);
  std::string line;
  while (std::getline(lines, line)) {
    line = trim(line);
    if (line.rfind("HTTP/", 0) == 0) {
      response.headers.clear();
      response.status = std::stoi(line.substr(line.find(' ') + 1, 3));
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::string value = trim(line.substr(colon + 1));
    if (::strcasecmp(name.c_str(), "content-type") == 0) response.content_type = value;
    response.headers.emplace_back(std::move(name), std::move(value));
  }
}

}  // namespace

CurlResult curl_unix(const std::string& socket_path, const std::string& method, const std::string& path,
                     const std::vector<std::string>& extra_args, const std::string& scratch_dir) {
  const std::string head_file = scratch_dir + "/curl-head";
  const std::string body_file = scratch_dir + "/curl-body";
  std::vector<std::string> argv = {SILO_CURL_EXECUTABLE, "--silent", "--show-error", "--max-time", "60",
                                   "--unix-socket", socket_path, "--request", method,
                                   "--dump-header", head_file, "--output", body_file};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  argv.push_back("http://localhost" + path);
  const auto run = run_process(argv);
  CurlResult result;
  result.exit_code = run.exit_code;
  result.error = run.err;
  result.response.method = method;
  result.response.path = path;
  parse_head(read_file(head_file), result.response);
  result.response.body = read_file(body_file);
  return result;
}

}  // namespace silo::testing
