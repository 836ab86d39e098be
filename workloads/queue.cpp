#include "workloads/queue.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <mutex>

#include "util/percentile.hpp"
#include "util/zeroed_array.hpp"
#include "workloads/on_stop.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;

struct Item {
  std::uint64_t id = 0;  // kEnd: no more items for this consumer
  std::int64_t put_ns = 0;
};

constexpr std::uint64_t kEnd = std::numeric_limits<std::uint64_t>::max();

std::int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A bounded FIFO for threads; waits honour a stop token.
class BlockingQueue {
 public:
  explicit BlockingQueue(std::size_t capacity) : capacity_(capacity) {}

  void put(Item item, const std::stop_token& stop) {
    std::unique_lock lock(mutex_);
    if (!not_full_.wait(lock, stop, [&] { return items_.size() < capacity_; })) {
      throw TaskCancelled();
    }
    items_.push_back(item);
    not_empty_.notify_one();
  }

  Item take(const std::stop_token& stop) {
    std::unique_lock lock(mutex_);
    if (!not_empty_.wait(lock, stop, [&] { return !items_.empty(); })) throw TaskCancelled();
    Item item = items_.front();
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable_any not_full_;
  std::condition_variable_any not_empty_;
  std::deque<Item> items_;
};

using Channel = asio::experimental::channel<void(boost::system::error_code, Item)>;

// Owns the channels made on one execution context (an io_context), keyed by their run state,
// and destroys them when the context shuts down: a channel must not outlive the context whose
// channel service it uses. Registered after the channel service, so it shuts down first.
class ChannelHolder : public asio::execution_context::service {
 public:
  using key_type = ChannelHolder;
  static inline asio::execution_context::id id;
  explicit ChannelHolder(asio::execution_context& context) : service(context) {}
  void shutdown() override { channels.clear(); }
  std::map<const void*, std::unique_ptr<Channel>> channels;
};

// One run's shared state.
struct RunState {
  explicit RunState(std::size_t items, std::size_t capacity)
      : queue(capacity), taken(items), latency_ns(items) {}
  BlockingQueue queue;
  std::mutex channel_mutex;
  Channel* channel = nullptr;  // made by the first coroutine, owned by its context's holder
  std::atomic<std::size_t> producers_done{0};
  ZeroedArray<int> taken;  // per item: how often consumed
  ZeroedArray<std::int64_t> latency_ns;
};

class QueueWorkload : public Workload {
 public:
  QueueWorkload(std::size_t producers, std::size_t consumers, std::size_t items,
                std::size_t capacity)
      : producers_(producers),
        consumers_(consumers),
        items_(items),
        capacity_(capacity),
        state_(std::make_unique<RunState>(items, capacity)) {}

  std::string_view name() const override { return "queue"; }
  TaskKind kind() const override { return TaskKind::kWait; }
  std::size_t task_count() const override { return producers_ + consumers_; }

  TaskNeeds needs() const override {
    TaskNeeds needs;
    needs.shared_memory = "queue";
    if (capacity_ < items_ + consumers_) {
      needs.at_once = task_count();
      needs.at_once_reason = fmt::format(
          "its {} producers and {} consumers must all run at once (a full queue of {} blocks "
          "producers until consumers take)",
          producers_, consumers_, capacity_);
      needs.at_once_remedy = fmt::format("--capacity {} or more", items_ + consumers_);
    }
    return needs;
  }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    RunState& state = *state_;
    if (index < producers_) {
      std::size_t count = 0;
      for (std::size_t id = index; id < items_; id += producers_, ++count) {
        state.queue.put({id, NowNs()}, stop);
      }
      if (++state.producers_done == producers_) {
        for (std::size_t c = 0; c < consumers_; ++c) state.queue.put({kEnd, 0}, stop);
      }
      return fmt::format("produced {}", count);
    }
    std::size_t count = 0;
    for (Item item = state.queue.take(stop); item.id != kEnd; item = state.queue.take(stop)) {
      Consume(item);
      ++count;
    }
    return fmt::format("consumed {}", count);
  }

  asio::awaitable<std::string> run_async(std::size_t index, std::stop_token stop) const override {
    RunState& state = *state_;
    Channel* channel = nullptr;
    {
      auto executor = co_await asio::this_coro::executor;
      std::lock_guard lock(state.channel_mutex);
      if (state.channel == nullptr) {
        auto made = std::make_unique<Channel>(executor, capacity_);
        auto& holder =
            asio::use_service<ChannelHolder>(asio::query(executor, asio::execution::context));
        state.channel = made.get();
        holder.channels[&state] = std::move(made);
      }
      channel = state.channel;
    }
    // Cancels the channel's waiting operations on the channel's own executor.
    std::stop_callback on_stop(stop, [channel] {
      PostFromStopCallback(channel->get_executor(), [channel] { channel->cancel(); });
    });
    auto send = [&](Item item) -> asio::awaitable<void> {
      if (stop.stop_requested()) throw TaskCancelled();
      auto [error] = co_await channel->async_send(boost::system::error_code(), item,
                                                  asio::as_tuple(asio::use_awaitable));
      if (error || stop.stop_requested()) throw TaskCancelled();
    };
    if (index < producers_) {
      std::size_t count = 0;
      for (std::size_t id = index; id < items_; id += producers_, ++count) {
        co_await send({id, NowNs()});
      }
      if (++state.producers_done == producers_) {
        for (std::size_t c = 0; c < consumers_; ++c) co_await send({kEnd, 0});
      }
      co_return fmt::format("produced {}", count);
    }
    std::size_t count = 0;
    while (true) {
      if (stop.stop_requested()) throw TaskCancelled();
      auto [error, item] = co_await channel->async_receive(asio::as_tuple(asio::use_awaitable));
      if (error || stop.stop_requested()) throw TaskCancelled();
      if (item.id == kEnd) break;
      Consume(item);
      ++count;
    }
    co_return fmt::format("consumed {}", count);
  }

  std::string check(std::size_t, const TaskRecord&) const override { return ""; }  // check_run

  // Every item consumed at most once, and exactly once when every task ran.
  std::string check_run(std::span<const TaskRecord> records) const override {
    bool all_ran = std::all_of(records.begin(), records.end(),
                               [](const TaskRecord& r) { return r.status == TaskStatus::kOk; });
    std::size_t twice = 0, missing = 0;
    for (std::size_t id = 0; id < items_; ++id) {
      int taken = state_->taken[id].load();
      if (taken == 0) ++missing;
      if (taken > 1) ++twice;
    }
    if (twice > 0) return fmt::format("{} items were consumed more than once", twice);
    if (!all_ran || missing == 0) return "";
    return fmt::format("{} of {} items were never consumed", missing, items_);
  }

  // Every item passes through the queue once: no floor; the figures are the metrics.
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }

  nlohmann::json parameters() const override {
    return {{"producers", producers_},
            {"consumers", consumers_},
            {"items", items_},
            {"capacity", capacity_}};
  }

  void begin_run() const override { state_ = std::make_unique<RunState>(items_, capacity_); }

  nlohmann::json python_form() const override {
    nlohmann::json form = parameters();  // producers, consumers, items, capacity
    form["form"] = "queue";
    return form;
  }

  // What the Python consumers took: per item, how often and how long after its put.
  void take_python_state(const nlohmann::json& state) const override {
    if (!state.is_object() || !state.contains("taken")) return;
    for (std::size_t id = 0; id < items_ && id < state["taken"].size(); ++id) {
      state_->taken[id].store(state["taken"][id].get<int>());
      state_->latency_ns[id].store(state["latency_ns"][id].get<std::int64_t>());
    }
  }

  nlohmann::json end_run(std::span<const TaskRecord> records) const override {
    std::size_t consumed = 0;
    std::vector<double> latencies;
    for (std::size_t id = 0; id < items_; ++id) {
      if (state_->taken[id].load() == 0) continue;
      ++consumed;
      latencies.push_back(static_cast<double>(state_->latency_ns[id].load()) * 1e-9);
    }
    TaskRecord::Clock::time_point first = TaskRecord::Clock::time_point::max();
    TaskRecord::Clock::time_point last = TaskRecord::Clock::time_point::min();
    for (const TaskRecord& record : records) {
      if (record.status == TaskStatus::kNotRun) continue;
      first = std::min(first, record.start);
      last = std::max(last, record.end);
    }
    double span = last > first ? std::chrono::duration<double>(last - first).count() : 0;
    std::sort(latencies.begin(), latencies.end());
    return {{"items_consumed", consumed},
            {"items_per_second", span > 0 ? static_cast<double>(consumed) / span : 0.0},
            {"latency_p50_s", PercentileOfSorted(latencies, 50)},
            {"latency_p99_s", PercentileOfSorted(latencies, 99)}};
  }

 private:
  void Consume(const Item& item) const {
    if (item.id >= items_) return;
    state_->latency_ns[item.id].store(NowNs() - item.put_ns);
    state_->taken[item.id].fetch_add(1);
  }

  std::size_t producers_;
  std::size_t consumers_;
  std::size_t items_;
  std::size_t capacity_;
  // One run's queue, remade by begin_run (which must precede each run, as the harness does).
  mutable std::unique_ptr<RunState> state_;
};

}  // namespace

std::vector<ParamSpec> QueueParams() {
  return {
      {"producers", ParamType::kCount, "2", "queue: producer tasks"},
      {"consumers", ParamType::kCount, "2", "queue: consumer tasks"},
      {"items", ParamType::kCount, "10000", "queue: items put through the queue in all"},
      {"capacity", ParamType::kCount, "16", "queue: the queue's bound"},
  };
}

std::unique_ptr<Workload> MakeQueueWorkload(const Params& params) {
  std::uint64_t producers = params.count("producers");
  std::uint64_t consumers = params.count("consumers");
  std::uint64_t items = params.count("items");
  std::uint64_t capacity = params.count("capacity");
  if (producers + consumers > 10'000)
    throw ParamError("--producers: with --consumers, at most 10000 tasks");
  if (items > 100'000'000) throw ParamError("--items: at most 100000000");
  if (capacity > 100'000'000) throw ParamError("--capacity: at most 100000000");
  return std::make_unique<QueueWorkload>(
      static_cast<std::size_t>(producers), static_cast<std::size_t>(consumers),
      static_cast<std::size_t>(items), static_cast<std::size_t>(capacity));
}

}  // namespace concbench
