// siloctl's exit codes, as scripts rely on them (docker uses the same numbers for the same cases).
#pragma once

namespace silo::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitDaemonRefused = 1;  // the daemon answered with an error, or with nonsense
inline constexpr int kExitUsage = 2;          // unknown flag or command, bad value
inline constexpr int kExitUnreachable = 125;  // no daemon at the host: not running, wrong socket, timeout

}  // namespace silo::cli
