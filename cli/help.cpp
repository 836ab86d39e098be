#include "cli/help.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "concbench/workload_registry.hpp"
#include "core/names.hpp"
#include "core/plan.hpp"
#include "engines/registry.hpp"
#include "util/format.hpp"

namespace concbench {
namespace {

constexpr std::size_t kNameColumns = 30;  // where descriptions start

// The placeholder of an option's value ("N", "DURATION", "FILE"), or "" for a flag: the type
// set for it, or the name of its validator when the type is CLI11's generic one.
std::string Placeholder(const CLI::Option* option) {
  if (option->get_type_size() == 0) return "";
  std::string full = option->get_type_name();
  std::string first = full.substr(0, full.find(':'));
  bool generic = first == "TEXT" || first == "UINT" || first == "INT" || first == "FLOAT";
  if (generic && first.size() < full.size()) {
    std::string second = full.substr(first.size() + 1);
    second = second.substr(0, second.find(':'));
    if (!second.empty() && second.find_first_of(" {[") == std::string::npos) return second;
  }
  if (first == "UINT" || first == "INT") return "N";
  if (first == "FLOAT") return "X";
  return first;
}

bool IsEngine(const std::string& plugin) {
  return std::any_of(EngineRegistry().begin(), EngineRegistry().end(),
                     [&](const EngineInfo& info) { return info.name == plugin; });
}

}  // namespace

std::size_t HelpColumns(std::size_t terminal) {
  if (terminal == 0) return kHelpColumns;
  return std::clamp<std::size_t>(terminal, kMinHelpColumns, kHelpColumns);
}

HelpFormatter::HelpFormatter(std::size_t columns) : columns_(columns) {
  column_width(kNameColumns);  // CLI11's own lists (the subcommands) line up with ours
}

std::string HelpFormatter::make_option(const CLI::Option* option, bool) const {
  std::vector<std::string> names;
  for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  std::string left = fmt::format("  {}", fmt::join(names, ", "));
  if (std::string placeholder = Placeholder(option); !placeholder.empty()) {
    left += " " + placeholder;
  }
  std::string description = option->get_description();
  std::string default_value = option->get_default_str();
  if (default_value.size() > 1 && default_value.front() == '[' && default_value.back() == ']') {
    default_value = default_value.substr(1, default_value.size() - 2);  // a list's
  }
  if (!default_value.empty() && description.find("[default:") == std::string::npos) {
    description += fmt::format(" [default: {}]", default_value);
  }
  std::string text = WrapText(description, columns_ - kNameColumns, kNameColumns);
  if (left.size() + 2 > kNameColumns) {
    return left + "\n" + std::string(kNameColumns, ' ') + text + "\n";
  }
  return left + std::string(kNameColumns - left.size(), ' ') + text + "\n";
}

std::string HelpFormatter::make_group(std::string group, bool is_positional,
                                      std::vector<const CLI::Option*> options) const {
  std::string out = group + ":\n";
  for (const CLI::Option* option : options) out += make_option(option, is_positional);
  return out;
}

std::string HelpFormatter::make_positionals(const CLI::App* app) const {
  std::string positionals = CLI::Formatter::make_positionals(app);
  return positionals.empty() ? positionals : positionals + "\n";
}

std::string HelpFormatter::make_usage(const CLI::App* app, std::string name) const {
  return CLI::Formatter::make_usage(app, std::move(name)) + "\n";
}

std::string HelpFormatter::make_footer(const CLI::App* app) const {
  std::string footer = app->get_footer();
  return footer.empty() ? "" : WrapText(footer, columns_, 0) + "\n";
}

std::string HelpFormatter::make_subcommand(const CLI::App* sub) const {
  std::string left = "  " + sub->get_display_name(true);
  std::string text = WrapText(sub->get_description(), columns_ - kNameColumns, kNameColumns);
  if (left.size() + 2 > kNameColumns) {
    return left + "\n" + std::string(kNameColumns, ' ') + text + "\n";
  }
  return left + std::string(kNameColumns - left.size(), ' ') + text + "\n";
}

std::string HelpFormatter::make_description(const CLI::App* app) const {
  std::istringstream lines(CLI::Formatter::make_description(app));
  std::string out;
  for (std::string line; std::getline(lines, line);) out += WrapText(line, columns_, 0) + "\n";
  return out;
}

std::string ParamGroup(const std::string& name) {
  std::vector<std::string> workloads;
  bool engine = false;
  for (const ParamDefault& d : ParamDefaults(name)) {
    for (const std::string& plugin : d.plugins) {
      if (IsEngine(plugin)) {
        engine = true;
      } else {
        workloads.push_back(plugin);
      }
    }
  }
  if (workloads.empty() && engine) return "Engine options";
  if (workloads.size() == 1 && !engine) return fmt::format("Workload {} options", workloads[0]);
  return "Options of several workloads";
}

void FocusParamHelp(ParamOptions& params, const std::vector<std::string>& plugins) {
  if (plugins.empty() || std::find(plugins.begin(), plugins.end(), "all") != plugins.end()) return;
  for (auto& [name, option] : params.options) {
    const ParamSpec* spec = FindParam(name);
    std::vector<std::string> values;
    bool applies = false;
    for (const ParamDefault& d : ParamDefaults(name)) {
      for (const std::string& plugin : d.plugins) {
        if (std::find(plugins.begin(), plugins.end(), plugin) == plugins.end()) continue;
        applies = true;
        if (!d.value.empty() && std::find(values.begin(), values.end(), d.value) == values.end()) {
          values.push_back(d.value);
        }
      }
    }
    if (!applies) {
      option->group("");  // hidden
      continue;
    }
    if (spec == nullptr || spec->type == ParamType::kFlag) continue;
    std::string help = spec->help;
    if (!values.empty()) help += fmt::format(" [default: {}]", fmt::join(values, " or "));
    option->description(help);
  }
}

std::string UnknownOptionMessage(const CLI::App& command, const std::vector<std::string>& args) {
  std::vector<std::string> known;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames()) known.push_back("--" + name);
    for (const std::string& name : option->get_snames()) known.push_back("-" + name);
  }
  for (const std::string& arg : args) {
    if (arg.size() < 2 || arg[0] != '-' || arg == "--") continue;
    if (arg[1] != '-' && arg.size() > 2) continue;  // -r5: a short option with its value
    if (std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.') continue;  // -3
    std::string name = arg.substr(0, arg.find('='));
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    auto closest = std::min_element(known.begin(), known.end(), [&](const auto& a, const auto& b) {
      return EditDistance(name, a) < EditDistance(name, b);
    });
    if (closest != known.end() &&
        EditDistance(name, *closest) <= std::max<std::size_t>(2, name.size() / 3)) {
      return fmt::format("unknown option {} (did you mean {}?)", name, *closest);
    }
    return fmt::format("unknown option {}", name);
  }
  return "";
}

}  // namespace concbench
