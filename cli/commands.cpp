#include "cli/commands.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/ab.hpp"
#include "cli/compare.hpp"
#include "cli/help.hpp"
#include "cli/list.hpp"
#include "cli/merge.hpp"
#include "cli/metg.hpp"
#include "cli/run.hpp"
#include "engines/mpi_world.hpp"
#include "results/context.hpp"
#include "util/format.hpp"

namespace concbench {
namespace {

// Where and how the results are measured, the MPI world included.
Context ContextOf(const CommandCall& call) {
  Context context = CollectContext(call.argc, call.argv);
  if (const MpiWorld* world = CurrentMpiWorld()) context.mpi = MpiWorldJson(*world);
  return context;
}

AddedCommand AddRun(CLI::App& app) {
  auto config = std::make_shared<RunConfig>();
  AddedCommand command{AddRunCommand(app, *config), nullptr, nullptr};
  command.execute = [config](const CommandCall& call) {
    config->args.assign(call.argv + 1, call.argv + call.argc);
    return ExecuteRun(*config, ContextOf(call), call.stop);
  };
  command.before_help = [config] {  // the parameters of the workloads and engines given only
    std::vector<std::string> plugins = config->request.workloads;
    plugins.insert(plugins.end(), config->request.engines.begin(), config->request.engines.end());
    FocusParamHelp(config->params, plugins);
  };
  return command;
}

AddedCommand AddCompare(CLI::App& app) {
  auto config = std::make_shared<CompareConfig>();
  return {AddCompareCommand(app, *config),
          [config](const CommandCall&) { return ExecuteCompare(*config); }, nullptr};
}

AddedCommand AddAb(CLI::App& app) {
  auto config = std::make_shared<AbConfig>();
  return {AddAbCommand(app, *config),
          [config](const CommandCall& call) { return ExecuteAb(*config, call.stop); }, nullptr};
}

AddedCommand AddMerge(CLI::App& app) {
  auto config = std::make_shared<MergeConfig>();
  return {AddMergeCommand(app, *config),
          [config](const CommandCall&) { return ExecuteMerge(*config); }, nullptr};
}

AddedCommand AddList(CLI::App& app) {
  return {app.add_subcommand("list", "List engines and workloads with their parameters"),
          [](const CommandCall&) {
            WriteList(std::cout, HelpColumns(TerminalColumns(STDOUT_FILENO)));
            return 0;
          },
          nullptr};
}

AddedCommand AddMetg(CLI::App& app) {
  auto config = std::make_shared<MetgConfig>();
  return {AddMetgCommand(app, *config),
          [config](const CommandCall& call) {
            return ExecuteMetg(*config, ContextOf(call), call.stop);
          },
          nullptr};
}

}  // namespace

const std::vector<CommandInfo>& CommandTable() {
  static const std::vector<CommandInfo> commands = {
      {"run", true, AddRun},      {"compare", false, AddCompare}, {"ab", true, AddAb},
      {"merge", false, AddMerge}, {"list", false, AddList},       {"metg", true, AddMetg},
  };
  return commands;
}

}  // namespace concbench
