#include "engine/log/access_log_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QtTest>
#include <atomic>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/log/access_log.h"

using namespace sluice::log;

namespace {

std::vector<std::string> readLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
  }
  return lines;
}

bool waitFor(const std::function<bool()>& done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

struct RunResult {
  uint64_t dropped_lines = 0;
  uint64_t submitted_bytes = 0;
};

// `threads` workers, each with its own AccessLogBuffer, log `per_thread` records into `path`.
RunResult runWorkers(const std::string& path, int threads, int per_thread) {
  RunResult result;
  std::string error;
  auto writer = AccessLogWriter::open(path, error);
  if (!writer) {
    qFatal("%s", error.c_str());
  }
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&writer, t, per_thread] {
      AccessLogBuffer buffer(*writer);
      for (int i = 0; i < per_thread; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        AccessRecord r;
        r.time = std::chrono::system_clock::now();
        r.request_id = id;
        r.client = "192.0.2.1:4000";
        r.method = "GET";
        r.path = "/some/path?with=query";
        r.route = "api";
        r.status = 200;
        r.duration_us = static_cast<uint64_t>(i);
        buffer.append(r);
        if (i % 5000 == 0) {
          buffer.flush();  // as the 100 ms timer would
        }
      }
    });  // the buffer's destructor flushes the rest
  }
  for (auto& w : workers) {
    w.join();
  }
  // The buffers are gone, so nothing is submitted any more: the drop counters are final.
  result.dropped_lines = writer->dropped_lines();
  const uint64_t dropped_bytes = writer->dropped_bytes();
  writer.reset();  // writes out everything queued
  struct stat st {};
  ::stat(path.c_str(), &st);
  result.submitted_bytes = static_cast<uint64_t>(st.st_size) + dropped_bytes;
  return result;
}

}  // namespace

class AccessLogWriterTest : public QObject {
  Q_OBJECT

 private slots:
  // Below the 8 MiB bound nothing can be dropped, whatever the timing: every line must arrive.
  void fourWorkersAllLinesArrive() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("access.log").toStdString();
    const RunResult run = runWorkers(path, 4, 8000);
    QCOMPARE(run.dropped_lines, uint64_t{0});
    QVERIFY(run.submitted_bytes < AccessLogWriter::kMaxPendingBytes);
    const auto lines = readLines(path);
    QCOMPARE(lines.size(), size_t{4 * 8000});
    std::set<std::string> ids;
    for (const auto& line : lines) {
      ids.insert(nlohmann::json::parse(line)["request_id"].get<std::string>());
    }
    QCOMPARE(ids.size(), size_t{4 * 8000});
    QVERIFY(ids.count("3-7999") == 1 && ids.count("0-0") == 1);

    struct stat st {};
    QCOMPARE(::stat(path.c_str(), &st), 0);
    const mode_t mask = ::umask(0);
    ::umask(mask);
    QCOMPARE(st.st_mode & 0777, 0640 & ~mask);
  }

  // Far above the bound, lines may be dropped, but each is either in the file or counted.
  void overloadAccountsForEveryLine() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("access.log").toStdString();
    const RunResult run = runWorkers(path, 4, 50000);
    const auto lines = readLines(path);
    QCOMPARE(lines.size() + run.dropped_lines, uint64_t{4 * 50000});
    std::set<std::string> ids;
    for (const auto& line : lines) {
      ids.insert(nlohmann::json::parse(line)["request_id"].get<std::string>());
    }
    QCOMPARE(ids.size(), lines.size());
  }

  void appendsToExistingFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("access.log").toStdString();
    std::ofstream(path) << "existing line\n";
    std::string error;
    {
      auto writer = AccessLogWriter::open(path, error);
      QVERIFY(writer);
      writer->submit("new line\n");
    }
    const auto lines = readLines(path);
    QCOMPARE(lines.size(), size_t{2});
    QCOMPARE(lines[0], std::string("existing line"));
    QCOMPARE(lines[1], std::string("new line"));
  }

  void openErrors() {
    std::string error;
    QVERIFY(AccessLogWriter::open("/nonexistent-dir/x/access.log", error) == nullptr);
    QVERIFY(error.find("/nonexistent-dir/x/access.log") != std::string::npos);
    std::string none;
    QVERIFY(AccessLogWriter::open("stdout", none) != nullptr);
    QVERIFY(none.empty());
  }

  void reopenFollowsRotation() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("access.log").toStdString();
    std::string error;
    {
      auto writer = AccessLogWriter::open(path, error);
      const std::string first = "before rotation\n";
      writer->submit(std::string(first));
      QVERIFY(waitFor([&] { return writer->written_bytes() == first.size(); }));
      QCOMPARE(::rename(path.c_str(), (path + ".1").c_str()), 0);
      writer->reopen();
      writer->submit("after rotation\n");
    }
    QCOMPARE(readLines(path + ".1"), std::vector<std::string>{"before rotation"});
    QCOMPARE(readLines(path), std::vector<std::string>{"after rotation"});
  }

  // The output blocks (a pipe nobody reads): at most 8 MiB is held, the rest is dropped and counted.
  void boundDropsWhenOutputBlocks() {
    int fds[2];
    QCOMPARE(::pipe2(fds, O_CLOEXEC), 0);
    ::fcntl(fds[1], F_SETPIPE_SZ, 4096);  // best effort; batches are larger than any pipe anyway
    constexpr size_t kLineBytes = 1250;
    constexpr size_t kLines = 80;
    constexpr size_t kBatchBytes = kLineBytes * kLines;  // 100,000: more than a default pipe holds
    constexpr size_t kBatches = 200;
    constexpr size_t kAccepted = AccessLogWriter::kMaxPendingBytes / kBatchBytes;  // 83
    std::string line(kLineBytes - 1, 'x');
    line += '\n';
    std::string batch;
    for (size_t i = 0; i < kLines; ++i) {
      batch += line;
    }

    auto writer = AccessLogWriter::fromFd(fds[1]);
    for (size_t i = 0; i < kBatches; ++i) {
      writer->submit(std::string(batch));
    }
    QCOMPARE(writer->dropped_bytes(), uint64_t{(kBatches - kAccepted) * kBatchBytes});
    QCOMPARE(writer->dropped_lines(), uint64_t{(kBatches - kAccepted) * kLines});

    // Now drain: every accepted byte comes out, then EOF when the writer closes its end.
    std::atomic<uint64_t> read_bytes{0};
    std::atomic<uint64_t> read_lines{0};
    std::thread reader([&] {
      char buf[65536];
      for (;;) {
        const ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n <= 0) {
          break;
        }
        read_bytes += static_cast<uint64_t>(n);
        read_lines += static_cast<uint64_t>(std::count(buf, buf + n, '\n'));
      }
    });
    writer.reset();
    reader.join();
    ::close(fds[0]);
    QCOMPARE(read_bytes.load(), uint64_t{kAccepted * kBatchBytes});
    QCOMPARE(read_lines.load(), uint64_t{kAccepted * kLines});
  }

  void timerFlushHandsOverSmallBatches() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("access.log").toStdString();
    std::string error;
    auto writer = AccessLogWriter::open(path, error);
    AccessLogBuffer buffer(*writer);
    AccessRecord r;
    r.request_id = "one";
    buffer.append(r);
    QVERIFY(buffer.bufferedBytes() > 0);
    buffer.flush();
    QCOMPARE(buffer.bufferedBytes(), size_t{0});
    QVERIFY(waitFor([&] { return readLines(path).size() == 1; }));
    buffer.flush();               // nothing buffered: no empty batch
    std::string big(70000, 'p');  // one line over 64 KiB goes out at once
    r.path = big;
    buffer.append(r);
    QCOMPARE(buffer.bufferedBytes(), size_t{0});
    QVERIFY(waitFor([&] { return readLines(path).size() == 2; }));
  }
};

QTEST_APPLESS_MAIN(AccessLogWriterTest)
#include "access_log_writer_test.moc"
