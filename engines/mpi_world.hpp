// The MPI world of a concbench that mpirun started, and the messages its ranks exchange.
//
// Every rank joins the world first thing (cli/main). Rank 0 is the harness: it plans, measures,
// reports and writes files, and its mpi engine (engines/mpi) hands tasks to the other ranks,
// which only serve them (engines/mpi_rank) until rank 0 leaves the world. Only the thread that
// joined calls MPI (MPI_THREAD_FUNNELED).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/os.hpp"

namespace concbench {

// One rank of the world, as rank 0 sees it.
struct RankInfo {
  int rank = 0;
  std::string host;
  long pid = 0;
  // The rank's steady clock minus rank 0's, estimated from the ping-pong with the shortest round
  // trip (the offset is then known to within half of it); 0 for rank 0.
  std::int64_t clock_offset_ns = 0;
  std::int64_t round_trip_ns = 0;
};

struct MpiWorld {
  int rank = 0;
  int size = 1;
  std::string library;          // MPI_Get_library_version's first line ("Open MPI v4.1.4, ...")
  std::string standard;         // the MPI standard version, "3.1"
  std::vector<RankInfo> ranks;  // rank 0 only: every rank, by rank
};

// Joins the world mpirun started: MPI_Init_thread, and on rank 0 a handshake with every other
// rank (its host, pid and clock offset). Returns nullptr, touching nothing, when mpirun did not
// start this process. Throws std::runtime_error when MPI cannot start.
const MpiWorld* JoinMpiWorld(int* argc, char*** argv);

// The world joined, or nullptr.
const MpiWorld* CurrentMpiWorld();

// Rank 0: tells every other rank to quit and finalizes MPI. Other ranks: finalizes MPI.
// Idempotent; nothing when no world was joined.
void LeaveMpiWorld();

// The world for the results file's context: library, standard, ranks, hosts, clock offsets.
nlohmann::json MpiWorldJson(const MpiWorld& world);

// What a message does. Rank 0 sends kPing, kBegin, kTask, kStop, kEnd and kQuit; the other
// ranks answer kPong, kRecord, kUsage and kError.
enum class MpiOp : std::int32_t {
  kPing,    // answer kPong with your steady clock, host and pid
  kPong,    // time_ns: the rank's clock; payload: "host\npid"
  kBegin,   // run `run` begins: answer kReady or kError; payload: the workload's recipe (JSON)
  kTask,    // run task `value` of run `run`; payload: its inputs' outputs (a graph with data)
  kStop,    // stop the task of run `run` that is under way
  kEnd,     // run `run` ended: answer kUsage
  kQuit,    // leave the world
  kReady,   // the rank made run `run`'s workload and waits for its tasks
  kRecord,  // payload: a WireRecord, its result text, its output (a graph's task, kOk)
  kUsage,   // payload: the rank's ResourceUsage over the run
  kError,   // the rank cannot run run `run`; payload: why
};

struct MpiHeader {
  MpiOp op = MpiOp::kPing;
  std::uint32_t run = 0;    // which run of the mpi engine (a rank ignores other runs' tasks)
  std::uint64_t value = 0;  // a task index
  std::int64_t time_ns = 0;
};

struct MpiMessage {
  int source = 0;
  MpiHeader header;
  std::string payload;
};

// Sends `header` and `payload` to rank `dest` as one message. Throws std::runtime_error on an MPI
// error.
void SendMessage(int dest, const MpiHeader& header, std::string_view payload = {});

// The next message from `source` (or any rank: -1), or nullopt once `give_up()` returns true.
// Between probes it spins briefly, then sleeps from 20 us up to `max_sleep`, so a rank that
// waits long costs almost no CPU (Open MPI's own blocking receive would spin a core).
std::optional<MpiMessage> ReceiveMessage(int source, std::chrono::microseconds max_sleep,
                                         const std::function<bool()>& give_up);

// A reading `ns` of rank `rank`'s steady clock on rank 0's clock (rank 0 only: it subtracts the
// rank's estimated offset).
std::int64_t ToRankZeroClock(const MpiWorld& world, int rank, std::int64_t ns);

}  // namespace concbench
