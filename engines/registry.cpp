#include "engines/registry.hpp"

#include "engines/asio.hpp"
#include "engines/mpi.hpp"
#include "engines/pool.hpp"
#include "engines/process.hpp"
#include "engines/python.hpp"
#include "engines/sequential.hpp"
#include "engines/thread.hpp"

namespace concbench {
namespace {

// `own` followed by the parameters every engine takes (--timeout, --return-when).
std::vector<ParamSpec> WithRunLimits(std::vector<ParamSpec> own) {
  for (ParamSpec& spec : RunLimitParams()) own.push_back(std::move(spec));
  return own;
}

// The engine made by `make`, with the run limits read from the same parameters.
template <std::unique_ptr<Engine> (*make)(const Params&)>
std::unique_ptr<Engine> MakeLimited(const Params& params) {
  std::unique_ptr<Engine> engine = make(params);
  engine->set_limits(ReadRunLimits(params));
  return engine;
}

// The mpi engine, where this build has one (see MpiAbsence).
std::vector<EngineInfo> MpiRows() {
  if (!MpiAbsence().empty()) return {};
  return {{"mpi",
           "tasks on MPI ranks (rank 0 measures and hands them out); under mpirun, or --ranks N "
           "starts it",
           WithRunLimits(MpiParams()), MakeLimited<MakeMpiEngine>, /*named_only=*/true}};
}

}  // namespace

const std::vector<EngineInfo>& EngineRegistry() {
  static const std::vector<EngineInfo> engines = [] {
    std::vector<EngineInfo> rows = {
        {"sequential", "every task in the calling thread, one after another", WithRunLimits({}),
         MakeLimited<MakeSequentialEngine>},
        {"thread",
         "one OS thread per task (a --stack-size stack each), all started, then all joined",
         WithRunLimits(ThreadParams()), MakeLimited<MakeThreadEngine>},
        {"pool",
         "a fixed pool of --workers threads claiming tasks in chunks that adapt to their length",
         WithRunLimits({WorkersParam()}), MakeLimited<MakePoolEngine>},
        {"process", "a pool of --workers pre-forked worker processes fed over socketpairs",
         WithRunLimits(ProcessParams()), MakeLimited<MakeProcessEngine>},
        {"asio",
         "each task a C++20 coroutine on one io_context thread; --offload moves CPU work "
         "and blocking calls to a pool of --workers threads",
         WithRunLimits({WorkersParam(),
                        {"offload", ParamType::kFlag, "false",
                         "asio: run CPU-bound tasks and blocking calls on a thread pool"}}),
         MakeLimited<MakeAsioEngine>},
    };
    for (EngineInfo& row : MpiRows()) rows.push_back(std::move(row));
    // The Python engines run only when named, or all together by the word "python".
    std::vector<EngineInfo> python = {
        {"py-sequential", "Python: every task in the interpreter's main thread, one after another",
         WithRunLimits(PythonParams(PythonModel::kSequential)),
         MakeLimited<MakePythonEngine<PythonModel::kSequential>>, true, "python"},
        {"py-thread", "Python: a threading.Thread per task, all started, then all joined",
         WithRunLimits(PythonParams(PythonModel::kThread)),
         MakeLimited<MakePythonEngine<PythonModel::kThread>>, true, "python"},
        {"py-pool", "Python: concurrent.futures.ThreadPoolExecutor(max_workers=--workers)",
         WithRunLimits(PythonParams(PythonModel::kPool)),
         MakeLimited<MakePythonEngine<PythonModel::kPool>>, true, "python"},
        {"py-process", "Python: concurrent.futures.ProcessPoolExecutor(max_workers=--workers)",
         WithRunLimits(PythonParams(PythonModel::kProcess)),
         MakeLimited<MakePythonEngine<PythonModel::kProcess>>, true, "python"},
        {"py-asyncio",
         "Python: each task a coroutine on one asyncio loop; --offload: run_in_executor for CPU "
         "work and blocking calls",
         WithRunLimits(PythonParams(PythonModel::kAsyncio)),
         MakeLimited<MakePythonEngine<PythonModel::kAsyncio>>, true, "python"},
        {"py-uvloop", "Python: as py-asyncio, on uvloop's event loop (Debian: python3-uvloop)",
         WithRunLimits(PythonParams(PythonModel::kUvloop)),
         MakeLimited<MakePythonEngine<PythonModel::kUvloop>>, true, "python"},
    };
    rows.insert(rows.end(), std::make_move_iterator(python.begin()),
                std::make_move_iterator(python.end()));
    return rows;
  }();
  return engines;
}

const EngineInfo* FindEngine(std::string_view name) {
  for (const EngineInfo& info : EngineRegistry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

std::string_view BaselineEngine() { return EngineRegistry().front().name; }

}  // namespace concbench
