// Starting a helper that must outlive silod (silo-monitor, silo-sandbox-holder): detached, in its
// own session, with a ready pipe on its fd 3 on which it reports "ok <pid>" or "error <errc> <why>"
// (the monitor's ready protocol, monitor::encode_ready).
#pragma once

#include "core/errors.h"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace silo::engine::runc {

// The pid the helper reported; its error when it reported one; unavailable when it said nothing
// within `timeout`.
Result<int> start_detached(const std::vector<std::string>& argv, const std::filesystem::path& output_file,
                           std::chrono::milliseconds timeout);

}  // namespace silo::engine::runc
