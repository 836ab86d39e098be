#include "cli/mpirun.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "util/spawn.hpp"

namespace concbench {
namespace {

// How long mpirun has between SIGTERM and SIGKILL: it ends its ranks within about 1 s itself.
constexpr std::chrono::seconds kGrace{10};

// The file rank 0 makes once it has joined the world, so that a job that never launched is told
// apart from one whose rank died.
constexpr const char* kLaunchedFile = "CONCBENCH_MPI_LAUNCHED_FILE";

// A path for that file, not made yet, in a folder of our own; "" when none can be made.
std::string LaunchMarkerPath() {
  std::string folder = (std::filesystem::temp_directory_path() / "concbench-mpi-XXXXXX").string();
  if (::mkdtemp(folder.data()) == nullptr) return "";
  return folder + "/launched";
}

// Whether rank 0 made the marker; removes it and its folder.
bool TakeLaunchMarker(const std::string& path) {
  if (path.empty()) return true;  // nothing to tell by: assume it launched
  std::error_code ignored;
  bool launched = std::filesystem::exists(path, ignored);
  std::filesystem::remove_all(std::filesystem::path(path).parent_path(), ignored);
  return launched;
}

}  // namespace

std::optional<MpirunLaunch> MpirunLaunchOf(const std::vector<Point>& points, std::string* error) {
  std::optional<MpirunLaunch> launch;
  for (const Point& point : points) {
    std::optional<MpirunLaunch> wanted = MpirunLaunchFor(*point.engine);
    if (!wanted) continue;
    if (wanted->ranks == 0) {
      *error =
          "--engine mpi: not started by mpirun: give --ranks N to start it here (rank 0 "
          "measures, N-1 ranks run tasks), or run under mpirun -np N";
      return std::nullopt;
    }
    if (launch && launch->ranks != wanted->ranks) {
      *error = "--ranks: one mpirun runs one number of ranks; run each number apart";
      return std::nullopt;
    }
    launch = wanted;
  }
  return launch;
}

int RunUnderMpirun(const MpirunLaunch& launch, const std::vector<std::string>& args,
                   std::stop_token stop) {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    fmt::print(stderr, "concbench run: --ranks: cannot find this program's path: {}\n",
               error.message());
    return 2;
  }
  if (::geteuid() == 0 && (std::getenv("OMPI_ALLOW_RUN_AS_ROOT") == nullptr ||
                           std::getenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM") == nullptr)) {
    fmt::print(stderr,
               "concbench run: --ranks: mpirun refuses to run as root unless "
               "OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 are set\n");
    return 2;
  }
  SpawnRequest request;
  request.argv = {"mpirun", "-np", std::to_string(launch.ranks)};
  request.argv.insert(request.argv.end(), launch.mpirun_args.begin(), launch.mpirun_args.end());
  request.argv.push_back(self.string());
  request.argv.insert(request.argv.end(), args.begin(), args.end());
  request.inherit_stdio = true;
  std::fflush(stdout);
  std::fflush(stderr);
  std::string marker = LaunchMarkerPath();
  if (!marker.empty()) ::setenv(kLaunchedFile, marker.c_str(), 1);  // mpirun passes it on
  std::string why;
  pid_t pid = Spawn(request, &why);
  ::unsetenv(kLaunchedFile);
  if (pid < 0) {
    TakeLaunchMarker(marker);
    fmt::print(stderr, "concbench run: --ranks: cannot start mpirun: {} (Debian: openmpi-bin)\n",
               why);
    return 2;
  }
  ChildExit exit = AwaitChild(pid, /*group=*/true, stop, kGrace, &why);
  bool launched = TakeLaunchMarker(marker);
  if (!why.empty()) {
    fmt::print(stderr, "concbench run: --ranks: {}\n", why);
    return 1;
  }
  if (exit.stopped) return 130;
  int status = WIFEXITED(exit.status) ? WEXITSTATUS(exit.status) : -1;
  if (!launched && status != 0) {
    fmt::print(stderr,
               "concbench run: --ranks: mpirun {} before it launched the job (see its message "
               "above: --mpirun-args it does not take, a host it cannot reach, too few slots)\n",
               DescribeExit(exit.status));
    return 2;
  }
  if (status == 0 || status == 1 || status == 2 || status == 130) return status;
  if (status > 0) {
    fmt::print(stderr,
               "concbench run: mpirun ended the job with status {}: a rank ended abnormally (see "
               "mpirun's message above for which)\n",
               status);
    return 1;
  }
  fmt::print(stderr, "concbench run: mpirun {}\n", DescribeExit(exit.status));
  return 1;
}

void MarkJobLaunched() {
  const char* path = std::getenv(kLaunchedFile);
  if (path == nullptr || *path == '\0') return;
  int fd = ::open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
}

}  // namespace concbench
