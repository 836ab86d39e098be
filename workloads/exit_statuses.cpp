#include "workloads/exit_statuses.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/wait.h>

#include <algorithm>
#include <charconv>

namespace concbench {

bool ExitStatuses::Accepts(int status) const {
  if (any) return true;
  return WIFEXITED(status) &&
         std::binary_search(accepted.begin(), accepted.end(), WEXITSTATUS(status));
}

std::string ExitStatuses::Text() const {
  return any ? "any" : fmt::format("{}", fmt::join(accepted, ","));
}

std::string ExitStatuses::Words() const {
  if (any) return "any exit status";
  if (accepted.size() == 1) return fmt::format("exit status {}", accepted.front());
  std::vector<int> most(accepted.begin(), accepted.end() - 1);
  return fmt::format("exit status {} or {}", fmt::join(most, ", "), accepted.back());
}

std::optional<ExitStatuses> ParseExitStatuses(std::string_view text, std::string* why) {
  ExitStatuses statuses;
  if (text == "any") {
    statuses.any = true;
    return statuses;
  }
  statuses.accepted.clear();
  std::size_t from = 0;
  while (true) {
    std::size_t comma = std::min(text.find(',', from), text.size());
    std::string_view item = text.substr(from, comma - from);
    int value = -1;
    auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || error != std::errc() || end != item.data() + item.size() || value < 0 ||
        value > 255) {
      *why = fmt::format(
          "'{}' is not an exit status (a whole number from 0 to 255); give N, a "
          "list N,M,... or any",
          item);
      return std::nullopt;
    }
    statuses.accepted.push_back(value);
    if (comma == text.size()) break;
    from = comma + 1;
  }
  std::sort(statuses.accepted.begin(), statuses.accepted.end());
  statuses.accepted.erase(std::unique(statuses.accepted.begin(), statuses.accepted.end()),
                          statuses.accepted.end());
  return statuses;
}

}  // namespace concbench
