#include "cli/container_args.h"

namespace silo::cli {
namespace {

void add_spec_flags(CLI::App* cmd, ContainerArgs& a) {
  cmd->add_option("--name", a.name, "Name the container");
  cmd->add_option("--isolation", a.isolation, "process, hyperv or hostprocess")->check(CLI::IsMember({"process", "hyperv", "hostprocess"}));
  cmd->add_option("--sandbox", a.sandbox, "Join this sandbox (id or name) instead of getting its own");
  cmd->add_option("--layer", a.layer, "Top layer id of the root file system");
  cmd->add_option("--annotation", a.annotations, "Annotation key=value; repeatable")->allow_extra_args(false);
  cmd->add_option("-l,--label", a.labels, "Label key=value; repeatable")->allow_extra_args(false);
  cmd->add_option("-e,--env", a.env, "Environment variable K=V; repeatable")->allow_extra_args(false);
  cmd->add_option("-w,--workdir", a.workdir, "Working directory of the command");
  cmd->add_option("-u,--user", a.user, "User to run as (name, uid or uid:gid)");
  cmd->add_option("-m,--memory", a.memory, "Memory limit: bytes or with a unit (64m, 1g)");
  cmd->add_option("--cpus", a.cpus, "CPUs the container may use (1.5); becomes a share of the host's CPU time");
  cmd->add_option("--cpu-count", a.cpu_count, "Number of CPUs");
  cmd->add_option("--pids-limit", a.pids_limit, "Most processes at once");
  cmd->add_option("-v,--mount", a.mounts, "Bind mount SOURCE:TARGET[:ro]; repeatable")->allow_extra_args(false);
  cmd->add_option("--stop-timeout", a.stop_timeout, "Seconds stop waits before terminating");
  cmd->add_option("command", a.command, "The command and its arguments (put -- before it)")->required();
}

}  // namespace

void add_container_commands(CLI::App& app, ContainerArgs& a) {
  auto* run = app.add_subcommand("run", "Create and start a container, print its output and exit with its code");
  add_spec_flags(run, a);
  run->add_flag("-d,--detach", a.detach, "Print the id and return at once");
  add_spec_flags(app.add_subcommand("create", "Create a container (print its id)"), a);

  for (auto [name, help] : {std::pair{"start", "Start containers"}, std::pair{"inspect", "Show containers as JSON"},
                            std::pair{"wait", "Wait for containers to exit and print their codes"}}) {
    app.add_subcommand(name, help)->add_option("container", a.refs, "Container id or name")->required();
  }
  for (auto [name, help] : {std::pair{"stop", "Stop containers (stop signal, then terminate after the timeout)"},
                            std::pair{"restart", "Restart containers"}}) {
    auto* cmd = app.add_subcommand(name, help);
    cmd->add_option("-t,--time", a.time, "Seconds to wait before terminating");
    cmd->add_option("container", a.refs, "Container id or name")->required();
  }
  auto* kill = app.add_subcommand("kill", "Send a signal to containers");
  kill->add_option("-s,--signal", a.signal, "Signal name or number (default SIGKILL)");
  kill->add_option("container", a.refs, "Container id or name")->required();
  auto* rm = app.add_subcommand("rm", "Remove containers");
  rm->add_flag("-f,--force", a.force, "Terminate running containers first");
  rm->add_option("container", a.refs, "Container id or name")->required();
  auto* ps = app.add_subcommand("ps", "List containers (running ones unless -a)");
  ps->add_flag("-a,--all", a.all, "Show every container");
  ps->add_option("--filter", a.filters, "key=value: label, state, isolation, sandbox, name")->allow_extra_args(false);
  auto* logs = app.add_subcommand("logs", "Print a container's output");
  logs->add_flag("-f,--follow", a.follow, "Keep printing new output until the container exits");
  logs->add_flag("-t,--timestamps", a.timestamps, "Prefix lines with their time");
  logs->add_option("-n,--tail", a.tail, "Only the last N lines (or all)");
  logs->add_option("container", a.refs, "Container id or name")->required()->expected(1);
  auto* stats = app.add_subcommand("stats", "Show a container's resource usage");
  stats->add_flag("--no-stream", a.no_stream, "Print one sample and return");
  stats->add_option("container", a.refs, "Container id or name")->required()->expected(1);
  auto* exec = app.add_subcommand("exec", "Run a command in a running container");
  exec->add_flag("-d,--detach", a.detach, "Start it and print the exec id");
  exec->add_option("-e,--env", a.env, "Environment variable K=V; repeatable")->allow_extra_args(false);
  exec->add_option("-w,--workdir", a.workdir, "Working directory");
  exec->add_option("-u,--user", a.user, "User to run as");
  // A vector positional takes every positional by default; the command's words must go to "command".
  exec->add_option("container", a.refs, "Container id or name")->required()->expected(1)->allow_extra_args(false);
  exec->add_option("command", a.command, "The command (put -- before it)")->required();

  auto* sandbox = app.add_subcommand("sandbox", "Manage sandboxes");
  sandbox->require_subcommand(1);
  auto* create = sandbox->add_subcommand("create", "Create a sandbox (print its id)");
  create->add_option("--name", a.name, "Name the sandbox");
  create->add_option("--isolation", a.isolation, "process or hyperv")->check(CLI::IsMember({"process", "hyperv"}));
  create->add_option("-l,--label", a.labels, "Label key=value")->allow_extra_args(false);
  create->add_option("--annotation", a.annotations, "Annotation key=value")->allow_extra_args(false);
  sandbox->add_subcommand("ls", "List sandboxes");
  sandbox->add_subcommand("inspect", "Show sandboxes as JSON")->add_option("sandbox", a.refs, "Sandbox id or name")->required();
  auto* remove = sandbox->add_subcommand("rm", "Remove sandboxes");
  remove->add_flag("-f,--force", a.force, "Remove running containers in it too");
  remove->add_option("sandbox", a.refs, "Sandbox id or name")->required();
  for (auto* sub : sandbox->get_subcommands({})) {
    sub->callback([&a, sub] { a.sandbox_action = sub->get_name(); });
  }
}

}  // namespace silo::cli
