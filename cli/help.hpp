// Help that reads like a man page: options in groups, a placeholder such as N or DURATION
// instead of CLI11's type notation, descriptions wrapped to the terminal's width (60 to 100
// columns), and `run --help -w NAME` narrowed to what applies. Also "did you mean" for a mistyped
// option.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/options.hpp"

namespace concbench {

inline constexpr std::size_t kHelpColumns = 100;    // the most help uses, and when unknown
inline constexpr std::size_t kMinHelpColumns = 60;  // the least, however narrow the terminal

// The columns help and `list` fit in for a terminal `terminal` columns wide (0: unknown).
std::size_t HelpColumns(std::size_t terminal);

class HelpFormatter : public CLI::Formatter {
 public:
  // Descriptions wrap to fit `columns`.
  explicit HelpFormatter(std::size_t columns = kHelpColumns);
  std::string make_option(const CLI::Option* option, bool is_positional) const override;
  std::string make_group(std::string group, bool is_positional,
                         std::vector<const CLI::Option*> options) const override;
  std::string make_positionals(const CLI::App* app) const override;
  std::string make_usage(const CLI::App* app, std::string name) const override;
  std::string make_footer(const CLI::App* app) const override;
  std::string make_subcommand(const CLI::App* sub) const override;
  std::string make_description(const CLI::App* app) const override;

 private:
  std::size_t columns_;
};

// The help group of the workload or engine parameter `name`: "Engine options", "Workload NAME
// options" when one workload has it, else "Options of several workloads".
std::string ParamGroup(const std::string& name);

// Narrows the parameter options in `params` to the workloads and engines named in `plugins`
// (none: all): the others' are hidden, and each default shown is the named plugins' own.
void FocusParamHelp(ParamOptions& params, const std::vector<std::string>& plugins);

// "unknown option --dealy (did you mean --delay?)" for the first argument in `args` that looks
// like an option and is none of `command`'s; "" when there is none.
std::string UnknownOptionMessage(const CLI::App& command, const std::vector<std::string>& args);

}  // namespace concbench
