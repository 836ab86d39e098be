#include "workloads/spawn_async.hpp"

#include <signal.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "concbench/workload.hpp"
#include "workloads/on_stop.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;

// An execution context's spawner threads: made by its first SpawnAsync, joined as the context
// shuts down (the spawns under way end first).
class Spawners : public asio::execution_context::service {
 public:
  using key_type = Spawners;
  static inline asio::execution_context::id id;

  explicit Spawners(asio::execution_context& context)
      : asio::execution_context::service(context), threads_(Count()) {}

  asio::thread_pool::executor_type executor() { return threads_.get_executor(); }

 private:
  static std::size_t Count() { return std::clamp(std::thread::hardware_concurrency(), 1u, 8u); }
  void shutdown() override { threads_.join(); }

  asio::thread_pool threads_;
};

// A child started and not yet reaped: killed and reaped when dropped while still held (a
// completion or a coroutine destroyed with its loop, undone).
class StartedChild {
 public:
  StartedChild() = default;
  StartedChild(pid_t pid, bool group) : pid_(pid), group_(group) {}
  StartedChild(StartedChild&& other) noexcept
      : pid_(std::exchange(other.pid_, -1)), group_(other.group_) {}
  StartedChild& operator=(StartedChild&& other) noexcept {
    if (this != &other) {
      End();
      pid_ = std::exchange(other.pid_, -1);
      group_ = other.group_;
    }
    return *this;
  }
  ~StartedChild() { End(); }
  pid_t take() { return std::exchange(pid_, -1); }

 private:
  void End() {
    if (pid_ <= 0) return;
    SignalProcess(pid_, group_, SIGKILL);
    int status = 0;
    WaitChild(pid_, status);
    if (group_) EndProcessGroup(pid_, std::chrono::nanoseconds(0));
    pid_ = -1;
  }

  pid_t pid_ = -1;
  bool group_ = false;
};

asio::awaitable<StartedChild> SpawnOnThread(SpawnRequest request, std::stop_token stop) {
  if (stop.stop_requested()) throw TaskCancelled();
  std::string error;
  pid_t pid = Spawn(request, &error);
  if (pid < 0) throw std::runtime_error(error);
  co_return StartedChild(pid, request.new_group);
}

}  // namespace

asio::awaitable<pid_t> SpawnAsync(SpawnRequest request, std::stop_token stop) {
  auto executor = co_await asio::this_coro::executor;
  auto& spawners = asio::use_service<Spawners>(asio::query(executor, asio::execution::context));
  StartedChild child = co_await asio::co_spawn(
      spawners.executor(), SpawnOnThread(std::move(request), std::move(stop)), asio::use_awaitable);
  co_return child.take();
}

asio::awaitable<ChildExit> AwaitChildAsync(pid_t pid, bool group, std::stop_token stop,
                                           std::chrono::nanoseconds grace) {
  ChildExit exit;
  std::string error;
  int fd = OpenPidfd(pid, &error);
  if (fd < 0) {
    SignalProcess(pid, group, SIGKILL);
    WaitChild(pid, exit.status);
    throw std::runtime_error(error);
  }
  StartedChild unreaped(pid, group);
  auto executor = co_await asio::this_coro::executor;
  auto pidfd = std::make_shared<asio::posix::stream_descriptor>(executor, fd);
  constexpr auto kEnded = asio::posix::descriptor_base::wait_read;
  {
    std::stop_callback on_stop(stop, [pidfd] {
      PostFromStopCallback(pidfd->get_executor(), [pidfd] { pidfd->cancel(); });
    });
    co_await pidfd->async_wait(kEnded, asio::as_tuple(asio::use_awaitable));
  }
  auto reaped = std::make_shared<bool>(false);
  if (!ProcessEnded(fd)) {
    exit.stopped = true;
    SignalProcess(pid, group, SIGTERM);
    asio::steady_timer timer(executor, grace);
    timer.async_wait([pid, group, reaped](boost::system::error_code ec) {
      if (!ec && !*reaped) SignalProcess(pid, group, SIGKILL);
    });
    while (!ProcessEnded(fd))
      co_await pidfd->async_wait(kEnded, asio::as_tuple(asio::use_awaitable));
    timer.cancel();
  }
  *reaped = true;
  unreaped.take();
  exit.usage = WaitChild(pid, exit.status);
  if (group) EndProcessGroup(pid, grace);
  co_return exit;
}

}  // namespace concbench
