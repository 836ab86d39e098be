#include "core/outputs.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "core/files.hpp"

namespace concbench {

std::string CheckOutputs(const std::vector<Output>& outputs, const std::string& baseline_dir) {
  std::map<std::string, const Output*> taken;  // where each output lands: its first taker
  for (const Output& output : outputs) {
    std::string identity = OutputIdentity(output.path);
    if (identity.empty()) continue;
    auto [first, added] = taken.emplace(identity, &output);
    if (added) continue;
    if (identity == "fd:1") {
      return fmt::format("{}: only one output can go to stdout ({} writes there already)",
                         output.option, first->second->option);
    }
    return fmt::format("{}: '{}' is the file {} writes ('{}'): give each output a file of its own",
                       output.option, output.path, first->second->option, first->second->path);
  }
  for (const Output& output : outputs) {
    if (output.path == "-") continue;
    if (output.option == "--save-baseline") {
      std::error_code ec;
      std::filesystem::create_directories(baseline_dir, ec);
      if (ec) {
        return fmt::format("--baseline-dir: cannot create '{}': {}", baseline_dir, ec.message());
      }
    }
    if (std::string why = CheckWritable(output.path); !why.empty()) {
      return output.option + ": " + why;
    }
  }
  return "";
}

std::string Render(const Output& output, const Report& report) {
  std::ostringstream out;
  FindReporter(output.format)->write(out, report);
  return out.str();
}

std::string SaveFiles(const std::vector<Output>& outputs, const Report& report, bool final) {
  for (const Output& output : outputs) {
    if (output.path == "-" || (!final && WritesThrough(output.path))) continue;
    if (std::string why = WriteOutputFile(output.path, Render(output, report)); !why.empty()) {
      return output.option + ": " + why;
    }
  }
  return "";
}

}  // namespace concbench
