// The bridge to tests/contract/validate-responses.mjs: one node process per test, fed every
// response the test receives, answering whether it matches openapi.yaml.
#pragma once

#include "tests/integration/support/process.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace silo::testing {

struct ObservedResponse {
  std::string method = "GET";
  std::string path;  // as requested; the validator matches it to a route template
  int status = 0;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // empty: headers are not checked
  std::string body;
};

// The first value of a header, compared case-insensitively; empty when absent.
std::string header_value(const ObservedResponse& response, const std::string& name);

class ContractValidator {
 public:
  // nullopt with *why when node or the npm packages are missing.
  static std::optional<ContractValidator> start(std::string* why);

  // The validator's complaints; empty when the response matches the contract.
  std::vector<std::string> check(const ObservedResponse& response);

 private:
  explicit ContractValidator(ChildProcess child) : child_(std::move(child)) {}
  ChildProcess child_;
  std::string pending_;
};

}  // namespace silo::testing
