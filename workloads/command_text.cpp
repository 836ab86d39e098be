#include "workloads/command_text.hpp"

#include <fmt/format.h>
#include <cctype>

namespace concbench {
namespace {

bool NameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool NameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The length of the placeholder starting at text[at] (a '{'), or 0 when there is none.
std::size_t PlaceholderLength(std::string_view text, std::size_t at) {
  std::size_t end = at + 1;
  if (end >= text.size() || !NameStart(text[end])) return 0;
  while (end < text.size() && NameChar(text[end])) ++end;
  return end < text.size() && text[end] == '}' ? end - at + 1 : 0;
}

// Calls on_text for literal runs and on_name for placeholders, in order.
template <typename OnText, typename OnName>
void Scan(std::string_view text, OnText on_text, OnName on_name) {
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      on_text(text.substr(i, 1));
      i += 2;
    } else if (std::size_t length = c == '{' ? PlaceholderLength(text, i) : 0; length > 0) {
      on_name(std::string(text.substr(i + 1, length - 2)));
      i += length;
    } else {
      on_text(text.substr(i, 1));
      ++i;
    }
  }
}

}  // namespace

std::set<std::string> PlaceholderNames(std::string_view text) {
  std::set<std::string> names;
  Scan(
      text, [](std::string_view) {}, [&](const std::string& name) { names.insert(name); });
  return names;
}

std::optional<std::string> ExpandPlaceholders(std::string_view text,
                                              const std::map<std::string, std::string>& values,
                                              std::string* why) {
  std::string out;
  out.reserve(text.size());
  std::string missing;
  Scan(
      text, [&](std::string_view literal) { out.append(literal); },
      [&](const std::string& name) {
        auto value = values.find(name);
        if (value != values.end()) {
          out.append(value->second);
        } else if (missing.empty()) {
          missing = name;
        }
      });
  if (missing.empty()) return out;
  *why = fmt::format("unknown placeholder {{{}}} (write {{{{ for a literal brace)", missing);
  return std::nullopt;
}

std::optional<std::vector<std::string>> SplitWords(std::string_view text, std::string* why) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\' && i + 1 < text.size()) {
      word += text[++i];
    } else if (c == '\'') {
      std::size_t close = text.find('\'', i + 1);
      if (close == std::string_view::npos) {
        *why = "unterminated ' quote";
        return std::nullopt;
      }
      word.append(text.substr(i + 1, close - i - 1));
      i = close;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < text.size() && text[j] != '"'; ++j) {
        if (text[j] == '\\' && j + 1 < text.size() &&
            std::string_view("\"\\$`").find(text[j + 1]) != std::string_view::npos) {
          ++j;
        }
        word += text[j];
      }
      if (j >= text.size()) {
        *why = "unterminated \" quote";
        return std::nullopt;
      }
      i = j;
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace concbench
