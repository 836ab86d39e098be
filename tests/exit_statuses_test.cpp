// --expect-exit's accepted statuses: parsed, matched against wait statuses, worded.
#include "workloads/exit_statuses.hpp"

#include <gtest/gtest.h>
#include <signal.h>

namespace concbench {
namespace {

int Exited(int code) { return code << 8; }  // a wait status, as waitpid gives it

TEST(ExitStatuses, AListAcceptsItsStatusesOnly) {
  std::string why;
  std::optional<ExitStatuses> statuses = ParseExitStatuses("3,0,3", &why);
  ASSERT_TRUE(statuses) << why;
  EXPECT_EQ(statuses->accepted, (std::vector<int>{0, 3}));
  EXPECT_TRUE(statuses->Accepts(Exited(0)));
  EXPECT_TRUE(statuses->Accepts(Exited(3)));
  EXPECT_FALSE(statuses->Accepts(Exited(4)));
  EXPECT_FALSE(statuses->Accepts(SIGKILL));  // killed: no exit status at all
  EXPECT_EQ(statuses->Text(), "0,3");
  EXPECT_EQ(statuses->Words(), "exit status 0 or 3");
  statuses = ParseExitStatuses("255", &why);
  ASSERT_TRUE(statuses) << why;
  EXPECT_EQ(statuses->Words(), "exit status 255");
  EXPECT_EQ(ParseExitStatuses("0,1,2", &why)->Words(), "exit status 0, 1 or 2");
}

TEST(ExitStatuses, AnyAcceptsEveryEnding) {
  std::string why;
  std::optional<ExitStatuses> statuses = ParseExitStatuses("any", &why);
  ASSERT_TRUE(statuses) << why;
  EXPECT_TRUE(statuses->any);
  EXPECT_TRUE(statuses->Accepts(Exited(0)));
  EXPECT_TRUE(statuses->Accepts(Exited(77)));
  EXPECT_TRUE(statuses->Accepts(SIGSEGV));
  EXPECT_EQ(statuses->Text(), "any");
  EXPECT_EQ(statuses->Words(), "any exit status");
}

TEST(ExitStatuses, MalformedListsSayWhichItem) {
  for (const char* text : {"", "256", "-1", "0,", ",0", "0,,1", "x", "1.5", "0;1", " 1", "ANY"}) {
    std::string why;
    EXPECT_FALSE(ParseExitStatuses(text, &why)) << text;
    EXPECT_NE(why.find("is not an exit status"), std::string::npos) << text << ": " << why;
  }
  std::string why;
  ParseExitStatuses("0,300", &why);
  EXPECT_NE(why.find("'300'"), std::string::npos) << why;
}

}  // namespace
}  // namespace concbench
