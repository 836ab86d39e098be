#include "core/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace concbench {

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string UnknownNameMessage(std::string_view kind, std::string_view given,
                               const std::vector<std::string>& valid) {
  std::string message = fmt::format("unknown {} '{}'", kind, given);
  auto closest = std::min_element(valid.begin(), valid.end(), [&](const auto& x, const auto& y) {
    return EditDistance(given, x) < EditDistance(given, y);
  });
  // Suggest only near misses: at most a third of the name wrong.
  if (closest != valid.end() &&
      EditDistance(given, *closest) <= std::max<std::size_t>(1, closest->size() / 3)) {
    message += fmt::format(" (did you mean '{}'?)", *closest);
  }
  return message + fmt::format("; valid: {}", fmt::join(valid, ", "));
}

}  // namespace concbench
