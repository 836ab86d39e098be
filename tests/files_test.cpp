#include "core/files.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "tests/read_fifo.hpp"
#include "tests/temp_dir.hpp"

namespace concbench {
namespace {

namespace fs = std::filesystem;
using testing::ReadFifo;
using testing::TempDir;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Files, NewAndRegularFilesAreReplacedWhole) {
  TempDir dir;
  EXPECT_EQ(CheckWritable(dir / "r.json"), "");
  EXPECT_EQ(WriteOutputFile(dir / "r.json", "one"), "");
  EXPECT_EQ(Read(dir / "r.json"), "one");
  ::chmod((dir / "r.json").c_str(), 0600);
  EXPECT_EQ(WriteOutputFile(dir / "r.json", "two"), "");
  EXPECT_EQ(Read(dir / "r.json"), "two");
  EXPECT_EQ(fs::status(dir / "r.json").permissions(),
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(dir.entries(), 1u);  // no temporary file left
}

TEST(Files, ASymlinkStaysALinkAndItsTargetIsReplaced) {
  TempDir dir;
  fs::create_directory(dir / "real");
  std::ofstream(dir / "real/r.json") << "old";
  fs::create_symlink("real/r.json", dir / "link.json");
  EXPECT_EQ(CheckWritable(dir / "link.json"), "");
  EXPECT_EQ(WriteOutputFile(dir / "link.json", "new"), "");
  EXPECT_TRUE(fs::is_symlink(dir / "link.json"));
  EXPECT_EQ(Read(dir / "real/r.json"), "new");
  EXPECT_EQ(dir.entries(), 3u);

  fs::create_symlink("real/made.json", dir / "dangling.json");  // its target is created
  EXPECT_EQ(WriteOutputFile(dir / "dangling.json", "made"), "");
  EXPECT_TRUE(fs::is_symlink(dir / "dangling.json"));
  EXPECT_EQ(Read(dir / "real/made.json"), "made");
}

TEST(Files, AFifoWithAReaderGetsTheContentAndStaysAFifo) {
  TempDir dir;
  std::string fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(WriteOutputFile(fifo, "x").find("no process has the FIFO open for reading"),
            std::string::npos);
  std::future<std::string> read = std::async(std::launch::async, [&] { return ReadFifo(fifo); });
  std::string error = "not tried";  // until the reader has opened the FIFO
  for (int i = 0; i < 500 && !error.empty(); ++i) {
    ::usleep(10'000);
    error = WriteOutputFile(fifo, "through the pipe");
  }
  EXPECT_EQ(error, "");
  EXPECT_EQ(read.get(), "through the pipe");
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(dir.entries(), 1u);
}

// A character device like /dev/`name` (1, `minor`) made in `dir`, so that a broken build run as
// root replaces a node of its own, never the machine's; without the right to make nodes,
// /dev/`name` itself (then it cannot be replaced either).
std::string Device(const TempDir& dir, const std::string& name, unsigned minor) {
  if (::mknod((dir / name).c_str(), S_IFCHR | 0666, ::makedev(1, minor)) == 0) return dir / name;
  return "/dev/" + name;
}

TEST(Files, CharacterDevicesAreWrittenThrough) {
  TempDir dir;
  std::string null = Device(dir, "null", 3), full = Device(dir, "full", 7);
  EXPECT_EQ(CheckWritable(null), "");
  EXPECT_EQ(WriteOutputFile(null, "gone"), "");
  EXPECT_TRUE(fs::is_character_file(null));
  EXPECT_EQ(WriteOutputFile(full, "x"), "cannot write '" + full + "': No space left on device");
  EXPECT_TRUE(fs::is_character_file(full));
}

TEST(Files, EmptyPathsAndFoldersAreRefused) {
  TempDir dir;
  EXPECT_EQ(CheckWritable(""), "an empty path");
  EXPECT_EQ(WriteOutputFile("", "x"), "an empty path");
  EXPECT_NE(WriteOutputFile(dir.path().string(), "x").find("' is a directory"), std::string::npos);
  EXPECT_NE(CheckWritable(dir / "missing/r.json").find("No such file or directory"),
            std::string::npos);
}

}  // namespace
}  // namespace concbench
