// Flags of siloctl's container, exec and sandbox commands, with docker's spellings.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace silo::cli {

struct ContainerArgs {
  // create / run / exec
  std::string name;
  std::string isolation;
  std::string sandbox;
  std::string layer;
  std::vector<std::string> annotations;  // k=v
  std::vector<std::string> labels;       // k=v
  std::vector<std::string> env;
  std::string workdir;
  std::string user;
  std::string memory;  // "64m"
  std::optional<double> cpus;
  std::optional<std::int64_t> cpu_count;
  std::optional<std::int64_t> pids_limit;
  std::vector<std::string> mounts;  // src:dst[:ro]
  std::optional<std::int64_t> stop_timeout;
  bool detach = false;
  std::vector<std::string> command;  // for create/run: IMAGE-less, so the first positional is argv[0]
  // start / stop / kill / restart / rm / inspect / wait / logs / stats / exec: the containers named
  std::vector<std::string> refs;
  std::optional<std::int64_t> time;  // stop/restart -t
  std::string signal = "SIGKILL";
  bool force = false;
  bool all = false;
  std::vector<std::string> filters;
  bool follow = false;
  bool timestamps = false;
  std::string tail = "all";
  bool no_stream = false;
  std::string sandbox_action;  // create, ls, inspect, rm
};

void add_container_commands(CLI::App& app, ContainerArgs& args);

}  // namespace silo::cli
