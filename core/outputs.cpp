#include "core/outputs.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include "core/files.hpp"

namespace concbench {

std::string CheckOutputs(const std::vector<Output>& outputs, const std::string& baseline_dir) {
  int to_stdout = 0;
  for (const Output& output : outputs) to_stdout += output.path == "-";
  if (to_stdout > 1) return "only one output can go to stdout (-)";
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
