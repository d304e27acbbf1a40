#include "tests/hcs/golden.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>

namespace silo::hcs::testing {
namespace {

std::string golden_path(const std::string& name) { return std::string(SILO_HCS_GOLDEN_DIR) + "/" + name + ".json"; }

bool update_requested() {
  const char* value = std::getenv("SILO_UPDATE_GOLDEN");
  return value != nullptr && std::string_view(value) == "1";
}

}  // namespace

std::string read_golden(const std::string& name) {
  std::ifstream in(golden_path(name), std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << golden_path(name) << " (run with SILO_UPDATE_GOLDEN=1 to create it)";
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void expect_golden(const std::string& name, const std::string& text) {
  if (update_requested()) {
    std::ofstream out(golden_path(name), std::ios::binary | std::ios::trunc);
    out << text;
    ASSERT_TRUE(out.good()) << "cannot write " << golden_path(name);
    return;
  }
  EXPECT_EQ(read_golden(name), text) << "document differs from " << golden_path(name);
}

}  // namespace silo::hcs::testing
