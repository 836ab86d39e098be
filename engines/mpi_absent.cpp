// The mpi engine's entry points in a build without MPI (CMake's CONCBENCH_MPI off): the registry
// has no mpi engine, `concbench list` says why, and a process mpirun started cannot join a world.
#include <cstdio>
#include <stdexcept>

#include "engines/mpi.hpp"
#include "engines/mpi_rank.hpp"

namespace concbench {

std::string MpiAbsence() {
  return "this concbench was built without MPI (install Debian's libopenmpi-dev and openmpi-bin, "
         "then build again)";
}

std::vector<ParamSpec> MpiParams() { return {}; }

std::unique_ptr<Engine> MakeMpiEngine(const Params&) { throw ParamError("mpi: " + MpiAbsence()); }

std::optional<MpirunLaunch> MpirunLaunchFor(const Engine&) { return std::nullopt; }

const MpiWorld* JoinMpiWorld(int*, char***) {
  throw std::runtime_error("started by mpirun, but " + MpiAbsence());
}

const MpiWorld* CurrentMpiWorld() { return nullptr; }

void LeaveMpiWorld() {}

nlohmann::json MpiWorldJson(const MpiWorld&) { return nullptr; }

int ServeRank(const MpiWorld&) { return 1; }

int RunAsRank(int, char**, int (*)(int, char**)) {
  std::fprintf(stderr, "concbench: started by mpirun, but %s\n", MpiAbsence().c_str());
  return 1;
}

}  // namespace concbench
