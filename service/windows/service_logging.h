// Where silod's logs go when the SCM runs it (design.md, "Logging"): a rotating file under the data
// root (<data root>\logs\silod.log, 10 MiB, 5 files kept) with every line at the configured level,
// and the Application event log for warnings and errors. Console mode keeps stderr.
#pragma once

#include "core/errors.h"

#include <spdlog/common.h>

#include <filesystem>
#include <string>
#include <vector>

namespace silo::service::windows {

Result<std::vector<spdlog::sink_ptr>> service_log_sinks(const std::filesystem::path& data_root,
                                                        const std::string& event_source);

}  // namespace silo::service::windows
