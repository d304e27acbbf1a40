// Human-readable output: "Key: value" rows whose values line up within a section, as `docker
// version` prints them, and docker's one-line-per-event format.
#pragma once

#include "api/client/types.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace silo::cli {

struct Row {
  int indent = 0;  // in spaces
  std::string key;
  std::string value;  // empty with a key: a heading ("Isolation:")
};

// Values of rows at the same indent start in the same column.
void print_rows(std::ostream& out, const std::vector<Row>& rows);

// 2061584302 -> "1.92GiB" (binary units, like docker's Total Memory).
std::string human_bytes(std::int64_t bytes);

// "2026-01-02T03:04:05.000000001Z container start 3f2a... (name=web, image=x)"
std::string event_line(const client::Event& event);

}  // namespace silo::cli
