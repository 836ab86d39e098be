// What one hand-over between two threads or processes costs on this machine: the floor under a
// task graph's steps on each engine. Each benchmark is a ping-pong, so an iteration is two
// hand-overs: a task handed to a worker and its end handed back. The pool's idle workers poll
// (spin); its sleeping workers, the asio loop and the offload pool wake through the kernel; the
// process engine's parent and workers speak over a socket.
#include <benchmark/benchmark.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace {

// Two threads taking turns through a flag each polls.
void BM_SpinPingPong(benchmark::State& state) {
  std::atomic<int> turn{0};
  std::atomic<bool> done{false};
  std::jthread peer([&] {
    while (!done.load(std::memory_order_relaxed)) {
      if (turn.load(std::memory_order_acquire) == 1) turn.store(0, std::memory_order_release);
    }
  });
  for (auto _ : state) {
    turn.store(1, std::memory_order_release);
    while (turn.load(std::memory_order_acquire) != 0) {
    }
  }
  done = true;
}
BENCHMARK(BM_SpinPingPong)->UseRealTime();

// Two threads taking turns through a mutex and a condition variable: each side sleeps in the
// kernel until the other wakes it (the pool's sleeping workers).
void BM_CondvarPingPong(benchmark::State& state) {
  std::mutex mutex;
  std::condition_variable cv;
  int turn = 0;
  bool done = false;
  std::jthread peer([&] {
    std::unique_lock lock(mutex);
    for (;;) {
      cv.wait(lock, [&] { return turn == 1 || done; });
      if (done) return;
      turn = 0;
      cv.notify_all();
    }
  });
  for (auto _ : state) {
    std::unique_lock lock(mutex);
    turn = 1;
    cv.notify_all();
    cv.wait(lock, [&] { return turn == 0; });
  }
  {
    std::lock_guard lock(mutex);
    done = true;
  }
  cv.notify_all();
}
BENCHMARK(BM_CondvarPingPong)->UseRealTime();

// A handler posted from an io_context's thread to a one-thread pool, which posts the next one
// back: asio --offload's way to a blocking task and back to the loop.
void BM_AsioOffloadRoundTrip(benchmark::State& state) {
  boost::asio::io_context loop;
  boost::asio::thread_pool pool(1);
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> busy;
  std::function<void()> back = [&] { busy.reset(); };
  for (auto _ : state) {
    busy.emplace(loop.get_executor());
    boost::asio::post(pool, [&] { boost::asio::post(loop, back); });
    loop.run();
    loop.restart();
  }
  pool.join();
}
BENCHMARK(BM_AsioOffloadRoundTrip)->UseRealTime();

// A byte each way between a parent and a forked child over a socket pair: the process engine's
// batch out and record back.
void BM_SocketPingPong(benchmark::State& state) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
    state.SkipWithError("socketpair failed");
    return;
  }
  pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    char byte;
    while (::read(fds[1], &byte, 1) == 1) {
      if (::write(fds[1], &byte, 1) != 1) break;
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  char byte = 'x';
  for (auto _ : state) {
    if (::write(fds[0], &byte, 1) != 1 || ::read(fds[0], &byte, 1) != 1) {
      state.SkipWithError("the child is gone");
      break;
    }
  }
  ::close(fds[0]);
  ::waitpid(child, nullptr, 0);
}
BENCHMARK(BM_SocketPingPong)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
