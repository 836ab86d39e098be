#include "engines/asio_offload.hpp"

#include <boost/asio/post.hpp>
#include <utility>

namespace concbench {

namespace asio = boost::asio;

OffloadPool::OffloadPool(asio::io_context& loop, RunControl& control)
    : loop_(loop), control_(control) {}

OffloadPool::~OffloadPool() { Stop(); }

std::string OffloadPool::Start(unsigned workers) {
  pool_.emplace(static_cast<int>(workers));
  keep_.emplace(pool_->get_executor());
  std::string refused = threads_.Start(workers, [this](std::size_t) { pool_->run(); });
  if (!refused.empty()) {
    pool_->stop();
    threads_.Join();
  }
  return refused;
}

void OffloadPool::Post(const Workload& workload, std::size_t index, TaskRecord& record,
                       const std::stop_token& stop) {
  auto back = asio::prefer(loop_.get_executor(), asio::execution::outstanding_work.tracked);
  asio::post(*pool_, [this, &workload, index, &record, &stop, back = std::move(back)] {
    RunTaskInto(record, workload, index, stop);
    bool post = false;
    {
      std::lock_guard lock(mutex_);
      returned_.push_back(record.status);
      post = !std::exchange(taking_, true);
    }
    // Before `back` goes: the pending handler keeps the loop running.
    if (post) asio::post(back, [this] { TakeReturns(); });
  });
}

void OffloadPool::TakeReturns() {
  std::vector<TaskStatus> taken;
  {
    std::lock_guard lock(mutex_);
    taken.swap(returned_);
    taking_ = false;
  }
  for (TaskStatus status : taken) {
    if (status != TaskStatus::kNotRun) control_.finished(status);
  }
}

std::string OffloadPool::Stop() {
  keep_.reset();
  threads_.Join();
  pool_.reset();  // what it still holds reports to the loop as tracked work
  return threads_.failure();
}

}  // namespace concbench
