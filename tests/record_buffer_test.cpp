// The process engine's record buffer: records round-trip, a full buffer is handed back and
// written from 0 again, a text too long for an empty buffer is cut with a marker, and what a
// process published before it died is read; through the engine, long texts fill the buffer.
#include "engines/record_buffer.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stop_token>
#include <string>
#include <vector>

#include "engines/engine.hpp"
#include "tests/workload_helpers.hpp"

namespace concbench {
namespace {

using testing::MakeEngine;
using testing::NoChildrenLeft;

// Task `index`'s record with `text`, as a worker publishes it.
WireRecord Wire(std::uint64_t index, const std::string& text) {
  TaskRecord record;
  record.status = TaskStatus::kOk;
  record.result = text;
  record.worker = 7;
  record.cpu_seconds = 0.25;
  return ToWire(index, record, ProcessUsage{.user_seconds = 1.5, .processes = 2});
}

// Every record `reader` can take now, their texts by index order.
std::vector<std::string> TakeAll(RecordReader& reader, std::vector<std::uint64_t>* indices) {
  std::vector<std::string> texts;
  WireRecord wire{};
  std::string text;
  while (reader.Next(wire, text)) {
    texts.push_back(text);
    if (indices != nullptr) indices->push_back(wire.index);
  }
  return texts;
}

TEST(RecordBuffer, RecordsRoundTripInTheOrderTheyWerePublished) {
  SharedRecordBuffer buffer;
  ASSERT_EQ(buffer.Map(), "");
  RecordWriter writer(buffer.region());
  RecordReader reader(buffer.region());
  WireRecord wire{};
  std::string text;
  EXPECT_FALSE(reader.Next(wire, text));  // nothing published yet
  const std::vector<std::string> texts = {"a", "", std::string(5000, 'x'), "d"};
  for (std::size_t i = 0; i < texts.size(); ++i)
    ASSERT_TRUE(writer.Append(Wire(i, texts[i]), texts[i]));
  ASSERT_TRUE(reader.Next(wire, text));
  EXPECT_EQ(wire.index, 0u);
  EXPECT_EQ(text, "a");
  EXPECT_EQ(wire.status, static_cast<std::int32_t>(TaskStatus::kOk));
  EXPECT_EQ(wire.worker, 7);
  EXPECT_EQ(wire.cpu_seconds, 0.25);
  EXPECT_EQ(wire.commands.user_seconds, 1.5);
  EXPECT_EQ(wire.commands.processes, 2u);
  std::vector<std::uint64_t> indices;
  EXPECT_EQ(TakeAll(reader, &indices), (std::vector<std::string>{"", texts[2], "d"}));
  EXPECT_EQ(indices, (std::vector<std::uint64_t>{1, 2, 3}));
  ASSERT_TRUE(writer.Append(Wire(4, "e"), "e"));  // published after the reader caught up
  EXPECT_EQ(TakeAll(reader, nullptr), std::vector<std::string>{"e"});
}

TEST(RecordBuffer, AFullBufferIsTakenWholeAndWrittenFromTheStartAgain) {
  SharedRecordBuffer buffer;
  ASSERT_EQ(buffer.Map(kMinRecordBufferBytes), "");
  RecordWriter writer(buffer.region());
  RecordReader reader(buffer.region());
  const std::string text(500, 'y');
  std::uint64_t appended = 0;
  while (writer.Append(Wire(appended, text), text)) ++appended;
  ASSERT_GT(appended, 2u);
  ASSERT_LT(appended, 10u);  // 4 KiB holds a few 500-byte records
  std::size_t full_at = writer.written();
  std::vector<std::uint64_t> indices;
  EXPECT_EQ(TakeAll(reader, &indices).size(), appended);
  // The parent, having taken everything, starts both sides at 0 (kBufferTaken).
  reader.Restart();
  EXPECT_EQ(buffer.region().header->published.load(), 0u);
  writer.Restart();
  ASSERT_TRUE(writer.Append(Wire(appended, "after"), "after"));
  EXPECT_LT(writer.written(), full_at);
  EXPECT_EQ(TakeAll(reader, &indices), std::vector<std::string>{"after"});
  EXPECT_EQ(indices.back(), appended);
}

TEST(RecordBuffer, ATextLongerThanAnEmptyBufferIsCutWithAMarker) {
  SharedRecordBuffer buffer;
  ASSERT_EQ(buffer.Map(kMinRecordBufferBytes), "");
  RecordWriter writer(buffer.region());
  RecordReader reader(buffer.region());
  ASSERT_TRUE(writer.Append(Wire(0, "small"), "small"));
  // Two-byte characters: the cut must not split one.
  std::string huge;
  for (int i = 0; i < 4000; ++i) huge += "\xc3\xa9";
  EXPECT_FALSE(writer.Append(Wire(1, huge), huge));  // after a record: the buffer is full
  EXPECT_EQ(TakeAll(reader, nullptr), std::vector<std::string>{"small"});
  reader.Restart();
  writer.Restart();
  ASSERT_TRUE(writer.Append(Wire(1, huge), huge));  // an empty buffer: cut to fit
  WireRecord wire{};
  std::string text;
  ASSERT_TRUE(reader.Next(wire, text));
  EXPECT_EQ(wire.index, 1u);
  EXPECT_EQ(wire.result_size, text.size());
  ASSERT_GT(text.size(), kCutMarker.size());
  EXPECT_LE(sizeof wire + text.size(), buffer.region().capacity);
  EXPECT_GE(sizeof wire + text.size() + 1, buffer.region().capacity);  // as much as fits
  std::string kept = text.substr(0, text.size() - kCutMarker.size());
  EXPECT_EQ(text.substr(kept.size()), kCutMarker);
  EXPECT_EQ(kept.size() % 2, 0u) << "a character was split";
  EXPECT_EQ(kept, huge.substr(0, kept.size()));
  EXPECT_FALSE(reader.Next(wire, text));
}

TEST(RecordBuffer, RecordsPublishedBeforeTheWriterDiedAreRead) {
  SharedRecordBuffer buffer;
  ASSERT_EQ(buffer.Map(), "");
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // As a worker that crashes as its fourth task starts.
    RecordWriter writer(buffer.region());
    const std::string texts[] = {"one", "two", "three"};
    for (std::uint64_t i = 0; i < 3; ++i) writer.Append(Wire(10 + i, texts[i]), texts[i]);
    ::raise(SIGKILL);
    ::_exit(1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  RecordReader reader(buffer.region());
  std::vector<std::uint64_t> indices;
  EXPECT_EQ(TakeAll(reader, &indices), (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(indices, (std::vector<std::uint64_t>{10, 11, 12}));
}

// Task i answers 200 KiB of one letter; task 0 answers more than a buffer holds.
class LongAnswers : public Workload {
 public:
  std::string_view name() const override { return "long-answers"; }
  TaskKind kind() const override { return TaskKind::kCompute; }
  std::size_t task_count() const override { return 30; }
  std::string run_blocking(std::size_t index, std::stop_token) const override {
    return std::string(index == 0 ? 2 * kRecordBufferBytes : 200 * 1024, Letter(index));
  }
  std::string check(std::size_t, const TaskRecord&) const override { return ""; }
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }
  nlohmann::json parameters() const override { return nlohmann::json::object(); }
  static char Letter(std::size_t index) { return static_cast<char>('a' + index % 26); }
};

TEST(RecordBuffer, TheProcessEngineTakesAnswersThatFillItsWorkersBuffersManyTimes) {
  ASSERT_TRUE(NoChildrenLeft());
  LongAnswers workload;
  auto engine = MakeEngine("process", {{"workers", "2"}});
  EngineRun run = engine->run(workload, std::stop_token());
  ASSERT_EQ(run.error, "");
  ASSERT_EQ(run.records.size(), 30u);
  for (std::size_t i = 1; i < run.records.size(); ++i) {
    EXPECT_EQ(run.records[i].status, TaskStatus::kOk) << i;
    EXPECT_EQ(run.records[i].result, std::string(200 * 1024, LongAnswers::Letter(i))) << i;
  }
  const std::string& cut = run.records[0].result;
  ASSERT_GT(cut.size(), kCutMarker.size());
  EXPECT_LT(cut.size(), kRecordBufferBytes);
  EXPECT_EQ(cut.substr(cut.size() - kCutMarker.size()), kCutMarker);
  EXPECT_EQ(cut.find_first_not_of('a'), cut.size() - kCutMarker.size());
  EXPECT_TRUE(NoChildrenLeft());
}

}  // namespace
}  // namespace concbench
