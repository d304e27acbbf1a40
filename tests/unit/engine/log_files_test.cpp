// The log file format, rotation, splitting and the follower, without processes.
#include "core/logs/log_reader.h"
#include "core/logs/log_writer.h"

#include <gtest/gtest.h>

#include <unistd.h>

namespace silo::logs {
namespace {

class SteppingClock final : public Clock {
 public:
  TimeNs now() const override { return next_ += 1000; }

 private:
  mutable TimeNs next_ = 1700000000000000000;
};

class LogFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/silo-log-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  LogWriter writer(std::int64_t max_size, std::int64_t max_files) {
    auto opened = LogWriter::open(dir_, {max_size, max_files}, clock_);
    EXPECT_TRUE(opened);
    return std::move(*opened);
  }

  std::filesystem::path dir_;
  SteppingClock clock_;
};

TEST_F(LogFilesTest, LinesAreSplitAtNewlinesAcrossWritesAndKeepTheirStream) {
  auto log = writer(1 << 20, 3);
  ASSERT_TRUE(log.append("stdout", "hel"));
  ASSERT_TRUE(log.append("stderr", "oops\n"));
  ASSERT_TRUE(log.append("stdout", "lo\nwor"));
  ASSERT_TRUE(log.finish("stdout"));
  auto entries = read_logs(dir_, {});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 3U);
  EXPECT_EQ((*entries)[0].stream, "stderr");
  EXPECT_EQ((*entries)[0].text, "oops\n");
  EXPECT_EQ((*entries)[1].text, "hello\n");
  EXPECT_EQ((*entries)[2].text, "wor");  // the last line had no newline and keeps none
  EXPECT_LT((*entries)[0].time, (*entries)[1].time);
}

TEST_F(LogFilesTest, LinesLongerThan16KiBBecomeSeveralEntries) {
  auto log = writer(1 << 20, 3);
  const std::string line(40000, 'x');
  ASSERT_TRUE(log.append("stdout", line + "\n"));
  auto entries = read_logs(dir_, {});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 3U);
  EXPECT_EQ((*entries)[0].text.size(), kMaxLineBytes);
  std::string joined;
  for (const auto& e : *entries) joined += e.text;
  EXPECT_EQ(joined, line + "\n");
}

TEST_F(LogFilesTest, RotationKeepsMaxFilesAndReadsOldestFirst) {
  auto log = writer(2000, 3);
  for (int i = 1; i <= 500; ++i) ASSERT_TRUE(log.append("stdout", std::to_string(i) + "\n"));
  EXPECT_TRUE(std::filesystem::exists(rotated_log_file(dir_, 2)));
  EXPECT_FALSE(std::filesystem::exists(rotated_log_file(dir_, 3)));
  for (const auto& file : {log_file(dir_), rotated_log_file(dir_, 1)}) EXPECT_LE(std::filesystem::file_size(file), 2000U);
  auto entries = read_logs(dir_, {});
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->back().text, "500\n");
  for (std::size_t i = 1; i < entries->size(); ++i) ASSERT_LT((*entries)[i - 1].time, (*entries)[i].time);
}

TEST_F(LogFilesTest, OneFileMeansTruncateWhenFull) {
  auto log = writer(500, 1);
  for (int i = 1; i <= 100; ++i) ASSERT_TRUE(log.append("stdout", std::to_string(i) + "\n"));
  EXPECT_FALSE(std::filesystem::exists(rotated_log_file(dir_, 1)));
  auto entries = read_logs(dir_, {});
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->back().text, "100\n");
  EXPECT_LT(entries->size(), 100U);
}

TEST_F(LogFilesTest, QueryFiltersStreamsTimeAndTail) {
  auto log = writer(1 << 20, 3);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log.append(i % 2 ? "stderr" : "stdout", std::to_string(i) + "\n"));
  auto all = read_logs(dir_, {});
  ASSERT_TRUE(all);
  LogQuery query;
  query.include_stderr = false;
  query.tail = 2;
  auto tail = read_logs(dir_, query);
  ASSERT_TRUE(tail);
  ASSERT_EQ(tail->size(), 2U);
  EXPECT_EQ((*tail)[0].text, "6\n");
  EXPECT_EQ((*tail)[1].text, "8\n");
  LogQuery window;
  window.since = (*all)[3].time;
  window.until = (*all)[5].time;
  auto windowed = read_logs(dir_, window);
  ASSERT_TRUE(windowed);
  ASSERT_EQ(windowed->size(), 3U);
  EXPECT_EQ((*windowed)[0].text, "3\n");
}

TEST_F(LogFilesTest, MissingDirectoryIsNotFound) {
  auto entries = read_logs(dir_ / "nope", {});
  ASSERT_FALSE(entries);
  EXPECT_EQ(entries.error().code, Errc::not_found);
}

TEST_F(LogFilesTest, FollowerSeesOnlyNewEntriesAndSurvivesRotation) {
  auto log = writer(300, 3);
  ASSERT_TRUE(log.append("stdout", "before\n"));
  auto follower = LogFollower::open(dir_, {});
  ASSERT_TRUE(follower);
  auto first = follower->poll();
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->empty());
  std::vector<std::string> seen;
  // Each batch is smaller than one file, so no entry can be rotated away between polls.
  for (int batch = 0; batch < 10; ++batch) {
    for (int i = 0; i < 2; ++i) ASSERT_TRUE(log.append("stdout", std::to_string(batch * 2 + i) + "\n"));
    auto polled = follower->poll();
    ASSERT_TRUE(polled);
    for (const auto& e : *polled) seen.push_back(e.text);
  }
  ASSERT_TRUE(std::filesystem::exists(rotated_log_file(dir_, 1)));
  ASSERT_EQ(seen.size(), 20U);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], std::to_string(i) + "\n");
}

}  // namespace
}  // namespace silo::logs
