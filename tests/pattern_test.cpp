// User patterns through RE2: the syntax accepted and refused, lines, and texts that make a
// backtracking engine hang or overflow its stack.
#include "util/pattern.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>

namespace concbench {
namespace {

Pattern Compiled(const std::string& text) {
  std::string why;
  std::optional<Pattern> pattern = Pattern::Compile(text, &why);
  EXPECT_TRUE(pattern) << text << ": " << why;
  return pattern ? *pattern : *Pattern::Compile("", &why);
}

std::string Refusal(const std::string& text) {
  std::string why;
  return Pattern::Compile(text, &why) ? "" : why;
}

TEST(Pattern, CaretAndDollarMatchAtLineEnds) {
  Pattern answer = Compiled("^answer [0-9]+$");
  EXPECT_TRUE(answer.Search("noise\nanswer 42\nmore noise\n"));
  EXPECT_FALSE(answer.Search("the answer 42\n"));
  EXPECT_TRUE(Compiled(R"(\d{3} OK\b)").Search("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(answer.text(), "^answer [0-9]+$");
}

TEST(Pattern, WhatRe2CannotRunIsRefusedWithTheReason) {
  EXPECT_NE(Refusal("(("), "");
  EXPECT_NE(Refusal(R"((a)\1)"), "");  // a backreference
  EXPECT_NE(Refusal("(?=a)"), "");     // lookahead
  EXPECT_NE(Refusal("\xff\xfe"), "");  // not UTF-8
  EXPECT_EQ(Refusal("(a+)+$"), "");
}

TEST(Pattern, NestedRepetitionOverALongNearMissEndsAtOnce) {
  // A backtracking engine takes 2^n steps here; RE2 takes one pass. A hang fails by timeout.
  std::string text(100'000, 'a');
  text += "b";
  EXPECT_FALSE(Compiled("(a+)+$").Search(text));
  EXPECT_FALSE(Compiled("^(a|aa)+$").Search(text));
  EXPECT_TRUE(Compiled("(a+)+b$").Search(text));
}

// A long line on a 64 KiB stack, as the harness's task threads have: a recursive matcher
// overflows it.
void* MatchLongLine(void* matched) {
  std::string digits(1'000'000, '7');
  *static_cast<bool*>(matched) = Compiled("^[0-9]+$").Search(digits);
  return nullptr;
}

TEST(Pattern, ALongLineMatchesOnASmallStack) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 << 10);
  bool matched = false;
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, MatchLongLine, &matched), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_TRUE(matched);
}

}  // namespace
}  // namespace concbench
