// Golden documents: tests/data/hcs/<name>.json holds the exact text a builder must produce. Run a
// test with SILO_UPDATE_GOLDEN=1 to rewrite the files from the builders' output (then review the
// diff with git before committing it).
#pragma once

#include <string>

namespace silo::hcs::testing {

// The file's text, or "" with a test failure when it cannot be read.
std::string read_golden(const std::string& name);

// EXPECT that `text` equals the golden file byte for byte (or rewrite it, see above).
void expect_golden(const std::string& name, const std::string& text);

}  // namespace silo::hcs::testing
