// Kill -9 in the middle of writing: a child process (this binary, run with --crash-child) puts,
// overwrites, erases and purges in a loop on a small store; the parent SIGKILLs it at a random
// moment, several times, and after each kill reopens the store and checks that it is consistent
// and that every value still matches its own checksum.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QtTest>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/cache_store.h"
#include "tests/unit/storage/store_fixture.h"

using namespace sluice::storage;
using namespace sluice::storage::testing;

namespace {

StoreOptions crashOptions(const std::string& path, bool sync) {
  StoreOptions options;
  options.path = path;
  options.max_size = 8u << 20;  // small: eviction and map-full recovery run while it is killed
  options.sync = sync;
  options.touch_granularity_ms = 0;
  return options;
}

// The child: writes until it is killed.
int runCrashChild(const std::string& path, uint32_t seed, bool sync) {
  std::string error;
  auto store = CacheStore::open(crashOptions(path, sync), error);
  if (!store) {
    std::fprintf(stderr, "child: %s\n", error.c_str());
    return 2;
  }
  std::mt19937 rng(seed);
  std::string noise(512u << 10, '\0');
  for (auto& c : noise) {
    c = static_cast<char>(rng());
  }
  std::printf("ready\n");
  std::fflush(stdout);
  const std::string long_base(450, 'L');
  for (uint64_t i = 0;; ++i) {
    const uint32_t id = rng() % 4000;
    std::string key = (id % 10 == 0 ? long_base : std::string()) + "c/" + std::to_string(id);
    const size_t size = rng() % 8 == 0 ? rng() % (400u << 10) : rng() % (16u << 10);
    std::string payload = std::to_string(i) + ":" + noise.substr(rng() % (noise.size() - size), size);
    store->put(PutRequest{std::move(key),
                          checkedValue(std::move(payload)),
                          rng() % 3 == 0 ? ~uint64_t{0} : 0,
                          {"t" + std::to_string(id % 13)}});
    if (i % 7 == 0) {
      store->touch("c/" + std::to_string(rng() % 4000));
    }
    if (i % 50 == 0) {
      store->erase("c/" + std::to_string(rng() % 4000));
    }
    if (i % 400 == 0) {
      store->purgePrefix("c/" + std::to_string(rng() % 10), nullptr);
      store->purgeTag("t" + std::to_string(rng() % 13), nullptr);
    }
  }
}

// Starts this binary as a crash child and waits for its "ready". fork + exec rather than QProcess:
// QProcess spawns with vfork semantics, which leaves TSan believing that this process itself was
// forked while multi-threaded, and it then refuses the writer threads the parent starts.
pid_t startChild(const std::string& path, int seed, bool sync) {
  const std::string exe = QCoreApplication::applicationFilePath().toStdString();
  std::vector<std::string> args = {exe, "--crash-child", path, std::to_string(seed),
                                   sync ? "sync" : "nosync"};
  std::vector<char*> argv;
  for (auto& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return -1;
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string line;
  char c = 0;
  while (line.size() < 16 && ::read(fds[0], &c, 1) == 1 && c != '\n') {
    line += c;
  }
  ::close(fds[0]);
  if (pid > 0 && line != "ready") {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return -1;
  }
  return pid;
}

}  // namespace

class CrashTest : public QObject {
  Q_OBJECT

 private slots:
  void killedWritersLeaveAConsistentStore() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.path() + "/cache";
    std::mt19937 rng(20240611);
    uint64_t seen = 0;
    for (int round = 0; round < 8; ++round) {
      const bool sync = round % 2 == 0;
      const pid_t child = startChild(path.toStdString(), round + 1, sync);
      QVERIFY(child > 0);
      std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 700));
      QCOMPARE(::kill(child, SIGKILL), 0);
      int status = 0;
      QCOMPARE(::waitpid(child, &status, 0), child);
      QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);  // killed mid-write, not exited

      std::string error;
      auto store = CacheStore::open(crashOptions(path.toStdString(), true), error);
      QVERIFY2(store, error.c_str());
      QCOMPARE(QString::fromStdString(store->verify()), QString());
      uint64_t bad = 0;
      const uint64_t count =
          store->forEach([&](std::string_view, std::string_view value) { bad += checksumOk(value) ? 0 : 1; });
      QCOMPARE(bad, uint64_t{0});
      QCOMPARE(count, store->stats().entries);
      seen += count;
      qInfo("round %d (sync %s): %llu entries after the kill", round, sync ? "on" : "off",
            static_cast<unsigned long long>(count));
    }
    QVERIFY(seen > 0);  // the children did commit before they were killed
  }
};

int main(int argc, char** argv) {
  if (argc == 5 && std::strcmp(argv[1], "--crash-child") == 0) {
    return runCrashChild(argv[2], static_cast<uint32_t>(std::stoul(argv[3])),
                         std::strcmp(argv[4], "sync") == 0);
  }
  QCoreApplication app(argc, argv);
  CrashTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "crash_test.moc"
