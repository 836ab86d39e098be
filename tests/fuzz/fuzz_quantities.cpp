// Durations, byte counts and every other parameter type (include/concbench/params.hpp): the
// input is one option's value, validated as each type and read by each Params getter. Bad text
// must come back as an error (a reason, or ParamError); a duration that parses lies between 1ns
// and 86400s and reads back the same from its formatted text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "concbench/params.hpp"
#include "util/format.hpp"

namespace {

using concbench::Duration;
using concbench::ParamType;

void CheckDuration(std::string_view text) {
  std::string why;
  std::optional<Duration> duration = concbench::ParseDuration(text, &why);
  if (!duration) {
    if (why.empty()) __builtin_trap();
    return;
  }
  if (duration->count() < 1 || duration->count() > 86400'000'000'000) __builtin_trap();
  std::string formatted = concbench::FormatDuration(*duration);
  if (concbench::ParseDuration(formatted, &why) != duration) __builtin_trap();
  concbench::FormatSeconds(std::chrono::duration<double>(*duration).count());
}

void CheckBytes(std::string_view text) {
  std::string why;
  std::optional<std::uint64_t> bytes = concbench::ParseBytes(text, &why);
  if (!bytes) {
    if (why.empty()) __builtin_trap();
    return;
  }
  concbench::FormatBytes(static_cast<double>(*bytes));
}

// Each getter either returns or throws ParamError; anything else escapes and is a finding.
template <typename Getter>
void Get(Getter getter) {
  try {
    getter();
  } catch (const concbench::ParamError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  CheckDuration(text);
  CheckBytes(text);
  for (ParamType type :
       {ParamType::kCount, ParamType::kUInt64, ParamType::kUInt64List, ParamType::kDuration,
        ParamType::kDurationList, ParamType::kDurationOrZero, ParamType::kFlag, ParamType::kWhole,
        ParamType::kIndexList, ParamType::kRate, ParamType::kChoice, ParamType::kText,
        ParamType::kBytes, ParamType::kTextList}) {
    concbench::ValidateParam(type, text);
  }
  concbench::ValidateParam({"mode", ParamType::kChoice, "a", "help", {"a", "b"}}, text);
  concbench::Params params({{"x", text}});
  Get([&] { params.count("x"); });
  Get([&] { params.uint64("x"); });
  Get([&] { params.uint64_list("x"); });
  Get([&] { params.duration("x"); });
  Get([&] { params.duration_list("x"); });
  Get([&] { params.flag("x"); });
  Get([&] { params.whole("x"); });
  Get([&] { params.index_list("x"); });
  Get([&] { params.rate("x"); });
  Get([&] { params.choice("x", {"a", "b"}); });
  Get([&] { params.text("x"); });
  Get([&] { params.bytes("x"); });
  Get([&] { params.text_list("x"); });
  return 0;
}
