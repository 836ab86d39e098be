#include "workloads/command_text.hpp"

#include <gtest/gtest.h>

namespace concbench {
namespace {

TEST(CommandText, FindsPlaceholdersButNotOtherBraces) {
  EXPECT_EQ(PlaceholderNames("fetch {i} of {n} {{i}} {1:2} {a b} awk '{print $1}' {size_2}"),
            (std::set<std::string>{"i", "n", "size_2"}));
}

TEST(CommandText, ExpandsPlaceholdersAndEscapedBraces) {
  std::string why;
  auto text = ExpandPlaceholders("get {i}/{n} {{i}} {x:y} {size}",
                                 {{"i", "3"}, {"n", "10"}, {"size", "1MiB"}}, &why);
  ASSERT_TRUE(text) << why;
  EXPECT_EQ(*text, "get 3/10 {i} {x:y} 1MiB");
}

TEST(CommandText, AnUnknownPlaceholderIsNamed) {
  std::string why;
  EXPECT_FALSE(ExpandPlaceholders("run {i} {sise}", {{"i", "0"}}, &why));
  EXPECT_NE(why.find("{sise}"), std::string::npos) << why;
}

TEST(CommandText, SplitsWordsAsAShellWouldWithoutExpanding) {
  std::string why;
  auto words = SplitWords(R"(python3  -c 'print("a b")' "x \"y\" $HOME" a\ b '' tail)", &why);
  ASSERT_TRUE(words) << why;
  EXPECT_EQ(*words, (std::vector<std::string>{"python3", "-c", "print(\"a b\")", "x \"y\" $HOME",
                                              "a b", "", "tail"}));
}

TEST(CommandText, AnUnterminatedQuoteIsAnError) {
  std::string why;
  EXPECT_FALSE(SplitWords("echo 'oops", &why));
  EXPECT_NE(why.find("unterminated ' quote"), std::string::npos) << why;
  EXPECT_FALSE(SplitWords("echo \"oops", &why));
  EXPECT_NE(why.find("unterminated \" quote"), std::string::npos) << why;
}

}  // namespace
}  // namespace concbench
