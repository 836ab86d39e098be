#include "util/pattern.hpp"

#include <re2/re2.h>

#include <utility>

namespace concbench {

Pattern::Pattern(std::string text, std::shared_ptr<const re2::RE2> re)
    : text_(std::move(text)), re_(std::move(re)) {}

std::optional<Pattern> Pattern::Compile(std::string_view text, std::string* error) {
  re2::RE2::Options options;
  options.set_log_errors(false);  // the error goes to the caller, not to stderr
  // The pattern's own memory: RE2's default (8 MiB) refuses a few hundred repetitions of a
  // class; 64 MiB admits what a user writes by hand and still bounds what a hostile one costs.
  options.set_max_mem(64 << 20);
  std::string multiline = "(?m)";
  multiline.append(text);
  auto re = std::make_shared<const re2::RE2>(multiline, options);
  if (!re->ok()) {
    *error = re->error();
    return std::nullopt;
  }
  return Pattern(std::string(text), std::move(re));
}

bool Pattern::Search(std::string_view text) const {
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

}  // namespace concbench
