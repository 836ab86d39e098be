// The exit statuses the `exec` workload accepts from a command: --expect-exit's list (0,3) or
// any (also --ignore-failure).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concbench {

struct ExitStatuses {
  std::vector<int> accepted = {0};  // ascending, each 0..255; ignored when `any`
  bool any = false;  // every ending, a death by a signal too (not a stop by the harness)

  // True when wait status `status` (waitpid's) is an accepted ending.
  bool Accepts(int status) const;
  // "0", "0,3" or "any", as --expect-exit takes it.
  std::string Text() const;
  // "exit status 0", "exit status 0 or 3" or "any exit status", for messages.
  std::string Words() const;
};

// Parses "N", "N,M,..." (whole numbers 0 to 255, in any order, repeats allowed) or "any".
// Returns nullopt and sets *why when malformed.
std::optional<ExitStatuses> ParseExitStatuses(std::string_view text, std::string* why);

}  // namespace concbench
