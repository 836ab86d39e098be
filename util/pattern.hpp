// A user's regular expression (exec's --expect-output), matched by RE2: time linear in the text
// and a bounded stack, so no pattern and no output can hang or crash the harness. The syntax is
// RE2's (Perl-like, without backreferences or lookaround); ^ and $ match at line ends.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace concbench {

class Pattern {
 public:
  // `text` compiled, or nullopt with *error saying why (RE2's reason: an unsupported construct,
  // bytes that are not UTF-8, a pattern too large).
  static std::optional<Pattern> Compile(std::string_view text, std::string* error);

  // True when the pattern matches somewhere in `text`. Safe from several threads at once.
  bool Search(std::string_view text) const;

  const std::string& text() const { return text_; }

 private:
  Pattern(std::string text, std::shared_ptr<const re2::RE2> re);

  std::string text_;
  std::shared_ptr<const re2::RE2> re_;
};

}  // namespace concbench
