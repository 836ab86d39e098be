#include "engines/registry.hpp"

#include "engines/asio.hpp"
#include "engines/pool.hpp"
#include "engines/process.hpp"
#include "engines/sequential.hpp"
#include "engines/thread.hpp"

namespace concbench {

const std::vector<EngineInfo>& EngineRegistry() {
  static const std::vector<EngineInfo> engines = {
      {"sequential", "every task in the calling thread, one after another", {},
       MakeSequentialEngine},
      {"thread", "one std::thread per task, all started, then all joined", {}, MakeThreadEngine},
      {"pool", "a fixed pool of --workers threads fed from one queue (asio::thread_pool)",
       {WorkersParam()}, MakePoolEngine},
      {"process", "a pool of --workers pre-forked worker processes fed over socketpairs",
       {WorkersParam()}, MakeProcessEngine},
      {"asio", "each task a C++20 coroutine on one io_context thread; --offload moves CPU work "
               "to a pool of --workers threads",
       {WorkersParam(),
        {"offload", ParamType::kFlag, "false", "asio: run CPU-bound tasks on a thread pool"}},
       MakeAsioEngine},
  };
  return engines;
}

const EngineInfo* FindEngine(std::string_view name) {
  for (const EngineInfo& info : EngineRegistry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace concbench
