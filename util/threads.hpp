// Threads started together and joined together, for the pools that start their own threads
// (the pool engine, asio --offload, the file workload's I/O pool, the http workload's server).
// A leaf: includes nothing of the project.
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace concbench {

class ThreadGroup {
 public:
  ThreadGroup() = default;
  ~ThreadGroup() { Join(); }
  ThreadGroup(const ThreadGroup&) = delete;
  ThreadGroup& operator=(const ThreadGroup&) = delete;

  // Starts `count` more threads, each running body(i) for i in 0..count-1. Returns "", or when
  // the OS refuses a thread (or memory runs out), why, naming the limit: "the OS refused
  // thread 212 of 400 (Resource temporarily unavailable); see ulimit -u". The threads already
  // started keep running: the caller stops what they run, then joins them.
  std::string Start(std::size_t count, const std::function<void(std::size_t)>& body);

  // Waits for every thread started; then the group may start again. Not from its own threads.
  void Join();

  std::size_t size() const { return threads_.size(); }

  // What the first body that threw threw, or "" (a thread never lets an exception escape).
  std::string failure() const;

 private:
  std::vector<std::thread> threads_;
  mutable std::mutex mutex_;
  std::string failure_;
};

// For tests: the next threads a ThreadGroup starts are refused from the `nth` on (counted from
// 1, across groups), as the OS refuses them at its process limit; 0 ends the refusal.
void RefuseThreadsForTesting(std::size_t nth);

}  // namespace concbench
