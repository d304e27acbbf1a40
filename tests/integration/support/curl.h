// curl as the reference HTTP client: `curl --unix-socket SOCK http://localhost/PATH`, with the
// status line, headers and body captured for the assertions and the contract check.
#pragma once

#include "tests/integration/support/contract.h"

#include <string>
#include <vector>

namespace silo::testing {

struct CurlResult {
  int exit_code = -1;
  std::string error;  // curl's stderr
  ObservedResponse response;
};

CurlResult curl_unix(const std::string& socket_path, const std::string& method, const std::string& path,
                     const std::vector<std::string>& extra_args, const std::string& scratch_dir);

}  // namespace silo::testing
