// util/os: the worker id is cached per thread, yet right in every thread and in a forked child.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "util/os.hpp"

namespace concbench {
namespace {

TEST(Os, WorkerIdIsTheCallingThreadsId) {
  EXPECT_EQ(CurrentWorkerId(), static_cast<long>(::gettid()));
  EXPECT_EQ(CurrentWorkerId(), static_cast<long>(::gettid()));  // the cached value
  long other = 0, other_tid = 0;
  std::thread([&] {
    other = CurrentWorkerId();
    other_tid = static_cast<long>(::gettid());
  }).join();
  EXPECT_EQ(other, other_tid);
  EXPECT_NE(other, CurrentWorkerId());
}

TEST(Os, AForkedChildAsksForItsOwnId) {
  long parent = CurrentWorkerId();  // cached in this thread before the fork
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    long child = CurrentWorkerId();
    ::_exit(child == static_cast<long>(::getpid()) && child != parent ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child reported its parent's cached id";
}

}  // namespace
}  // namespace concbench
