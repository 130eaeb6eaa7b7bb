// UpstreamPool with a DrainBoard (engine/proxy/upstream_pool.h): what a worker does when an operator
// drains a server. Picks skip it from the next pick on; "every server drained" is told apart from
// "every server down" (503 vs 502); a pool built later (a reload) starts with the board's flags; and
// an idle keep-alive connection to a drained server is closed (a real socket sees EOF).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QtTest>
#include <set>
#include <string>

#include "engine/core/reaper.h"
#include "engine/proxy/drain_board.h"
#include "engine/proxy/upstream_pool.h"
#include "engine/stats/worker_stats.h"

using sluice::proxy::DrainBoard;
using sluice::proxy::UpstreamConnection;
using sluice::proxy::UpstreamFailure;
using sluice::proxy::UpstreamPool;
using sluice::proxy::UpstreamServer;

namespace {

sluice::config::UpstreamConfig upstream(sluice::config::Balance balance,
                                        std::initializer_list<uint16_t> ports) {
  sluice::config::UpstreamConfig u;
  u.name = "api";
  u.balance = balance;
  u.max_fails = 1;
  for (uint16_t port : ports) {
    sluice::config::Address a;
    a.host = "127.0.0.1";
    a.port = port;
    a.text = "127.0.0.1:" + std::to_string(port);
    u.servers.push_back(a);
  }
  return u;
}

std::vector<sockaddr_storage> addressesOf(const sluice::config::UpstreamConfig& u) {
  std::vector<sockaddr_storage> out;
  for (const auto& a : u.servers) {
    sockaddr_storage ss{};
    auto* in = reinterpret_cast<sockaddr_in*>(&ss);
    in->sin_family = AF_INET;
    in->sin_port = htons(a.port);
    in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    out.push_back(ss);
  }
  return out;
}

std::set<std::string> pickNames(UpstreamPool& pool, int count) {
  std::set<std::string> names;
  for (int i = 0; i < count; ++i) {
    UpstreamServer* s = pool.pick(nullptr, "key");
    names.insert(s == nullptr ? "<none>" : s->name);
  }
  return names;
}

// A blocking listening socket on 127.0.0.1 with a free port.
struct Listening {
  int fd = -1;
  uint16_t port = 0;
  Listening() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof in;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&in), len) == 0 && ::listen(fd, 8) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&in), &len) == 0) {
      port = ntohs(in.sin_port);
    }
  }
  ~Listening() { ::close(fd); }
};

// Connects and, once connected, hands the connection back to the pool as idle.
struct ParkOnConnect final : sluice::proxy::UpstreamListener {
  UpstreamPool* pool = nullptr;
  UpstreamConnection* connection = nullptr;
  bool connected = false;
  bool failed = false;
  void onUpstreamConnected() override {
    connected = true;
    pool->release(connection, true);
  }
  void onUpstreamResponseHead(sluice::http::ResponseHead&) override {}
  void onUpstreamBody(const char*, size_t) override {}
  void onUpstreamComplete(bool) override {}
  void onUpstreamFailure(UpstreamFailure, bool, const char*) override { failed = true; }
};

// Runs the loop until `done` or about 2 s passed.
template <typename Done>
bool runUntil(uv_loop_t* loop, Done done) {
  for (int i = 0; i < 200 && !done(); ++i) {
    uv_run(loop, UV_RUN_NOWAIT);
    if (!done()) {
      ::usleep(10 * 1000);
    }
  }
  return done();
}

}  // namespace

class UpstreamPoolDrainTest : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    QCOMPARE(uv_loop_init(&loop_), 0);
    reaper_ = std::make_unique<sluice::core::Reaper>(&loop_);
    stats_ = std::make_unique<sluice::stats::WorkerStats>();
  }

  void cleanup() {
    reaper_->run();
    reaper_.reset();
    uv_run(&loop_, UV_RUN_NOWAIT);
    QCOMPARE(uv_loop_close(&loop_), 0);
    stats_.reset();
  }

  void drainedServerIsSkippedFromTheNextPick() {
    for (auto balance : {sluice::config::Balance::RoundRobin, sluice::config::Balance::LeastConn}) {
      auto board = std::make_shared<DrainBoard>();
      const auto cfg = upstream(balance, {9001, 9002});
      UpstreamPool pool(&loop_, cfg, addressesOf(cfg), *stats_, *reaper_, board);
      QCOMPARE(pickNames(pool, 4), (std::set<std::string>{"127.0.0.1:9001", "127.0.0.1:9002"}));

      board->setDrained("api", "127.0.0.1:9001", true);
      QCOMPARE(pickNames(pool, 4), (std::set<std::string>{"127.0.0.1:9002"}));
      board->setDrained("api", "127.0.0.1:9002", true);
      QCOMPARE(pickNames(pool, 2), (std::set<std::string>{"<none>"}));
      QCOMPARE(pool.unavailable().status, 503);

      board->setDrained("api", "127.0.0.1:9001", false);
      QCOMPARE(pickNames(pool, 4), (std::set<std::string>{"127.0.0.1:9001"}));
      QCOMPARE(pool.unavailable().status, 502);
      board->setDrained("api", "127.0.0.1:9002", false);
      QCOMPARE(pickNames(pool, 4), (std::set<std::string>{"127.0.0.1:9001", "127.0.0.1:9002"}));
    }
  }

  void otherUpstreamsAreNotAffected() {
    auto board = std::make_shared<DrainBoard>();
    const auto cfg = upstream(sluice::config::Balance::RoundRobin, {9001});
    UpstreamPool pool(&loop_, cfg, addressesOf(cfg), *stats_, *reaper_, board);
    board->setDrained("web", "127.0.0.1:9001", true);
    QCOMPARE(pickNames(pool, 2), (std::set<std::string>{"127.0.0.1:9001"}));
  }

  void drainedAndDownIsDrainNotFailure() {
    auto board = std::make_shared<DrainBoard>();
    const auto cfg = upstream(sluice::config::Balance::RoundRobin, {9001, 9002});
    UpstreamPool pool(&loop_, cfg, addressesOf(cfg), *stats_, *reaper_, board);
    UpstreamServer* first = pool.pick(nullptr, "");
    UpstreamServer* second = pool.pick(nullptr, "");
    QVERIFY(first != second);
    pool.reportFailure(first, "test");  // max_fails 1: down for fail_timeout
    QCOMPARE(pool.pick(nullptr, ""), second);
    QCOMPARE(pool.unavailable().status, 502);
    board->setDrained("api", second->name, true);
    QCOMPARE(pool.pick(nullptr, ""), nullptr);
    QCOMPARE(pool.unavailable().status, 503);
    // Every server down and none drained: a failure (502), not a drain.
    board->setDrained("api", second->name, false);
    pool.reportFailure(second, "test");
    QCOMPARE(pool.pick(nullptr, ""), nullptr);
    QCOMPARE(pool.unavailable().status, 502);
  }

  void aNewPoolStartsWithTheBoardsFlags() {
    // A reload that changes the upstream builds a new pool: the drain is kept by name.
    auto board = std::make_shared<DrainBoard>();
    board->setDrained("api", "127.0.0.1:9002", true);
    const auto cfg = upstream(sluice::config::Balance::LeastConn, {9001, 9002, 9003});
    UpstreamPool pool(&loop_, cfg, addressesOf(cfg), *stats_, *reaper_, board);
    QCOMPARE(pickNames(pool, 6), (std::set<std::string>{"127.0.0.1:9001", "127.0.0.1:9003"}));
  }

  void withoutABoardNothingIsDrained() {
    const auto cfg = upstream(sluice::config::Balance::RoundRobin, {9001});
    UpstreamPool pool(&loop_, cfg, addressesOf(cfg), *stats_, *reaper_);
    QCOMPARE(pickNames(pool, 2), (std::set<std::string>{"127.0.0.1:9001"}));
    pool.syncDrained();
    QCOMPARE(pickNames(pool, 2), (std::set<std::string>{"127.0.0.1:9001"}));
  }

  void idleConnectionToADrainedServerIsClosed() {
    Listening origin;
    QVERIFY(origin.port != 0);
    auto board = std::make_shared<DrainBoard>();
    const auto cfg = upstream(sluice::config::Balance::RoundRobin, {origin.port});
    {
      UpstreamPool pool(&loop_, cfg, addressesOf(cfg), *stats_, *reaper_, board);
      UpstreamServer* server = pool.pick(nullptr, "");
      QVERIFY(server != nullptr);
      ParkOnConnect listener;
      listener.pool = &pool;
      listener.connection = pool.connect(server, &listener);
      QVERIFY(runUntil(&loop_, [&] { return listener.connected || listener.failed; }));
      QVERIFY(listener.connected);
      QCOMPARE(server->idle.size(), size_t{1});
      const int accepted = ::accept(origin.fd, nullptr, nullptr);
      QVERIFY(accepted >= 0);

      board->setDrained("api", server->name, true);
      pool.syncDrained();  // what the worker does when the node's stats tick sees the board move
      QVERIFY(server->idle.empty());
      QCOMPARE(pool.takeIdle(server), nullptr);
      // The origin sees the connection end.
      char byte = 0;
      ssize_t n = -1;
      QVERIFY(runUntil(&loop_, [&] {
        pollfd p{accepted, POLLIN, 0};
        if (::poll(&p, 1, 0) == 1) {
          n = ::recv(accepted, &byte, 1, 0);
          return true;
        }
        return false;
      }));
      QCOMPARE(n, ssize_t{0});
      ::close(accepted);
    }
    reaper_->run();
    uv_run(&loop_, UV_RUN_NOWAIT);
  }

  void connectionReleasedToADrainedServerIsNotKept() {
    // A request in flight on a server that gets drained finishes; its connection then closes
    // instead of going back to the idle list.
    Listening origin;
    QVERIFY(origin.port != 0);
    auto board = std::make_shared<DrainBoard>();
    const auto cfg = upstream(sluice::config::Balance::RoundRobin, {origin.port});
    {
      UpstreamPool pool(&loop_, cfg, addressesOf(cfg), *stats_, *reaper_, board);
      UpstreamServer* server = pool.pick(nullptr, "");
      QVERIFY(server != nullptr);
      board->setDrained("api", server->name, true);
      pool.syncDrained();
      ParkOnConnect listener;
      listener.pool = &pool;
      listener.connection = pool.connect(server, &listener);
      QVERIFY(runUntil(&loop_, [&] { return listener.connected || listener.failed; }));
      QVERIFY(listener.connected);
      QVERIFY(server->idle.empty());
    }
    reaper_->run();
    uv_run(&loop_, UV_RUN_NOWAIT);
  }

 private:
  uv_loop_t loop_{};
  std::unique_ptr<sluice::core::Reaper> reaper_;
  std::unique_ptr<sluice::stats::WorkerStats> stats_;
};

QTEST_GUILESS_MAIN(UpstreamPoolDrainTest)
#include "upstream_pool_drain_test.moc"
