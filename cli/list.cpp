#include "cli/list.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <fmt/ranges.h>
#include <cstdlib>

#include <algorithm>
#include <set>

#include "concbench/workload_registry.hpp"
#include "engines/mpi.hpp"
#include "engines/registry.hpp"
#include "util/format.hpp"
#include "workloads/faults.hpp"

namespace concbench {
namespace {

// `text` after `left` (padded to `width`), wrapped to fit `columns` and lined up under itself;
// on lines of its own when `left` leaves it less than half the columns.
void WriteEntry(std::ostream& out, const std::string& left, std::size_t width,
                const std::string& text, std::size_t columns) {
  if (left.size() < width && width <= columns / 2) {
    out << left << std::string(width - left.size(), ' ') << WrapText(text, columns - width, width)
        << '\n';
    return;
  }
  out << left << '\n' << std::string(8, ' ') << WrapText(text, columns - 8, 8) << '\n';
}

void WriteParam(std::ostream& out, const ParamSpec& spec, std::size_t width, std::size_t columns) {
  bool says_default = spec.help.find("default") != std::string::npos;
  std::string default_text = spec.default_value.empty() || says_default
                                 ? ""
                                 : fmt::format(" (default {})", spec.default_value);
  WriteEntry(out, "      --" + spec.name, width + 8, spec.help + default_text, columns);
}

std::string_view LimitsOf(const EngineInfo&) { return ""; }
std::string_view LimitsOf(const WorkloadInfo& info) { return info.engine_limits; }

// Lists each entry with its own parameters, then the parameters every entry shares (`common`)
// once.
template <typename Info>
void WriteSection(std::ostream& out, std::string_view title, std::string_view kind,
                  const std::vector<Info>& registry, const std::vector<ParamSpec>& common,
                  std::size_t columns) {
  std::set<std::string> common_names;
  for (const ParamSpec& spec : common) common_names.insert(spec.name);
  out << title << ":\n";
  std::size_t width = 10;  // option names, padded so their help lines up
  for (const Info& info : registry) {
    for (const ParamSpec& spec : info.params) width = std::max(width, spec.name.size() + 2);
  }
  for (const ParamSpec& spec : common) width = std::max(width, spec.name.size() + 2);
  std::size_t names = 10;  // entry names, padded so their descriptions line up
  for (const Info& info : registry) names = std::max(names, info.name.size() + 2);
  for (const Info& info : registry) {
    WriteEntry(out, "  " + std::string(info.name), names + 2, std::string(info.description),
               columns);
    if (!LimitsOf(info).empty()) {
      out << "      " << WrapText(fmt::format("engines: {}", LimitsOf(info)), columns - 6, 6)
          << '\n';
    }
    for (const ParamSpec& spec : info.params) {
      if (common_names.count(spec.name) == 0) WriteParam(out, spec, width, columns);
    }
  }
  if (common.empty()) return;
  std::vector<std::string_view> without;
  for (const Info& info : registry) {
    bool has = std::any_of(info.params.begin(), info.params.end(),
                           [&](const ParamSpec& spec) { return spec.name == common[0].name; });
    if (!has) without.push_back(info.name);
  }
  std::string every = fmt::format(
      "every {}{}:", kind, without.empty() ? "" : fmt::format(" but {}", fmt::join(without, ", ")));
  out << "  " << WrapText(every, columns - 4, 4) << '\n';
  for (const ParamSpec& spec : common) WriteParam(out, spec, width, columns);
}

// The first executable `name` in a folder of $PATH, or "".
std::string FindInPath(const std::string& name) {
  int kept = errno;  // a failed write's reason, for the report at the end of the command
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "";
  while (!rest.empty()) {
    std::size_t colon = rest.find(':');
    std::string candidate = std::string(rest.substr(0, colon)) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) {
      errno = kept;
      return candidate;
    }
    rest = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
  }
  errno = kept;
  return "";
}

}  // namespace

void WriteList(std::ostream& out, std::size_t columns) {
  WriteSection(out, "engines", "engine", EngineRegistry(), RunLimitParams(), columns);
  std::string python = FindInPath("python3");
  std::string interpreter =
      fmt::format("(the Python engines' interpreter: python3, {}; --python PATH chooses another)",
                  python.empty() ? "not found on PATH" : python);
  out << "  " << WrapText(interpreter, columns - 3, 3) << '\n';
  if (std::string why = MpiAbsence(); !why.empty()) {
    out << "  " << WrapText(fmt::format("(no mpi engine: {})", why), columns - 3, 3) << '\n';
  }
  out << '\n';
  WriteSection(out, "workloads", "workload", WorkloadRegistry(), FailureParams(), columns);
}

}  // namespace concbench
