// Unknown names: the closest valid one is suggested.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/names.hpp"

namespace concbench {
namespace {

TEST(Names, SuggestsTheClosestName) {
  std::vector<std::string> engines = {"sequential", "thread", "pool", "process", "asio"};
  EXPECT_EQ(UnknownNameMessage("engine", "trhead", engines),
            "unknown engine 'trhead' (did you mean 'thread'?); valid: sequential, thread, pool, "
            "process, asio");
  EXPECT_EQ(UnknownNameMessage("engine", "gpu", engines),
            "unknown engine 'gpu'; valid: sequential, thread, pool, process, asio");
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("rnu", "run"), 1u);  // two neighbours swapped: one typo
  EXPECT_EQ(EditDistance("ab", "ba"), 1u);
  EXPECT_EQ(EditDistance("", "run"), 3u);
  EXPECT_EQ(DidYouMean("rnu", {"run", "compare", "ab"}), " (did you mean 'run'?)");
  EXPECT_EQ(DidYouMean("zzz", {"run", "compare", "ab"}), "");
}

}  // namespace
}  // namespace concbench
