#include "engines/asio_offload.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <utility>

namespace concbench {

namespace asio = boost::asio;

OffloadPool::OffloadPool(asio::io_context& loop, RunControl& control)
    : loop_(loop), control_(control) {}

OffloadPool::~OffloadPool() { Stop(); }

std::string OffloadPool::Start(unsigned workers) {
  workers_ = std::max(workers, 1u);
  pool_.emplace(static_cast<int>(workers));
  keep_.emplace(pool_->get_executor());
  std::string refused = threads_.Start(workers, [this](std::size_t) { pool_->run(); });
  if (!refused.empty()) {
    pool_->stop();
    threads_.Join();
  }
  return refused;
}

void OffloadPool::Post(const Workload& workload, std::size_t first, std::size_t count,
                       EngineRun& run, const std::stop_token& stop) {
  constexpr std::size_t kMaxBatch = 64;
  if (count == 0) return;
  if (outstanding_ == 0) loop_work_.emplace(loop_.get_executor());
  outstanding_ += count;
  for (std::size_t begin = first, end = first + count; begin < end;) {
    std::size_t batch = std::clamp<std::size_t>((end - begin) / (4 * workers_), 1, kMaxBatch);
    asio::post(*pool_, [this, &workload, begin, batch, &run, &stop] {
      RunBatch(workload, begin, begin + batch, run, stop);
    });
    begin += batch;
  }
}

void OffloadPool::RunBatch(const Workload& workload, std::size_t begin, std::size_t end,
                           EngineRun& run, const std::stop_token& stop) {
  constexpr std::chrono::milliseconds kRingEvery{1};
  std::vector<Returned> ended;
  ended.reserve(end - begin);
  TaskRecord::Clock::time_point rung = TaskRecord::Clock::now();
  for (std::size_t index = begin; index < end; ++index) {
    TaskRecord& record = run.records[index];
    RunTaskInto(record, workload, index, stop, CommandSlot(run, index));
    ended.push_back({index, record.status});
    if (index + 1 < end && record.end - rung < kRingEvery) continue;
    rung = record.end;
    bool post = false;
    {
      std::lock_guard lock(mutex_);
      returned_.insert(returned_.end(), ended.begin(), ended.end());
      post = !std::exchange(taking_, true);
    }
    ended.clear();
    if (post) asio::post(loop_, [this] { TakeReturns(); });
  }
}

void OffloadPool::TakeReturns() {
  std::vector<Returned> taken;
  {
    std::lock_guard lock(mutex_);
    taken.swap(returned_);
    taking_ = false;
  }
  for (const Returned& ended : taken) {
    if (ended.status == TaskStatus::kNotRun) continue;
    control_.finished(ended.status);
    if (on_end_) on_end_(ended.index);
  }
  outstanding_ -= taken.size();
  if (outstanding_ == 0) loop_work_.reset();  // the loop may end once nothing else is left
}

std::string OffloadPool::Stop() {
  keep_.reset();
  threads_.Join();
  pool_.reset();
  loop_work_.reset();
  return threads_.failure();
}

}  // namespace concbench
