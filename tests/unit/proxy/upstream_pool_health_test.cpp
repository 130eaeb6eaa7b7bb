// UpstreamPool with a HealthBoard and circuit breakers (engine/proxy/upstream_pool.h): servers the
// active checks mark down are skipped from the next pick; every server down by its checks is a 503
// ("unhealthy"); every usable server's breaker open is a 503 with the cool-down left; the in-flight
// bound admits, queues (FIFO, on the next loop tick) and refuses.

#include <arpa/inet.h>
#include <netinet/in.h>

#include <QtTest>

#include "engine/core/reaper.h"
#include "engine/proxy/health_board.h"
#include "engine/proxy/upstream_pool.h"
#include "engine/stats/worker_stats.h"

using sluice::proxy::HealthBoard;
using sluice::proxy::HealthState;
using sluice::proxy::PoolWaiter;
using sluice::proxy::UpstreamPool;
using sluice::proxy::UpstreamServer;

namespace {

sluice::config::UpstreamConfig upstream(std::initializer_list<uint16_t> ports) {
  sluice::config::UpstreamConfig u;
  u.name = "api";
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

struct Waiter final : PoolWaiter {
  int admitted = 0;
  int timed_out = 0;
  void onAdmitted() override { ++admitted; }
  void onQueueTimeout() override { ++timed_out; }
};

}  // namespace

class UpstreamPoolHealthTest : public QObject {
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

  void healthDownServersAreSkipped() {
    auto health = std::make_shared<HealthBoard>();
    const auto cfg = upstream({9001, 9002});
    UpstreamPool pool(&loop_, cfg, addressesOf(cfg), *stats_, *reaper_, nullptr, health);
    health->set("api", "127.0.0.1:9001", HealthState::Down);
    for (int i = 0; i < 4; ++i) {
      QCOMPARE(pool.pick(nullptr, "")->name, std::string("127.0.0.1:9002"));
    }
    health->set("api", "127.0.0.1:9002", HealthState::Down);
    QCOMPARE(pool.pick(nullptr, ""), nullptr);
    QCOMPARE(pool.unavailable().status, 503);
    QCOMPARE(pool.unavailable().reason, std::string_view("unhealthy"));
    health->set("api", "127.0.0.1:9001", HealthState::Up);
    QCOMPARE(pool.pick(nullptr, "")->name, std::string("127.0.0.1:9001"));
    health->retain("api", [](std::string_view) { return false; });  // checks removed by a reload
    QCOMPARE(health->get("api", "127.0.0.1:9002"), HealthState::Unchecked);
    QVERIFY(pool.pick(nullptr, "") != nullptr);
  }

  void everyBreakerOpenIs503WithTheCoolDownLeft() {
    auto cfg = upstream({9001});
    cfg.max_fails = 1000;
    cfg.circuit_breaker.emplace();
    cfg.circuit_breaker->consecutive_failures = 2;
    cfg.circuit_breaker->cool_down = std::chrono::seconds(30);
    UpstreamPool pool(&loop_, cfg, addressesOf(cfg), *stats_, *reaper_);
    UpstreamServer* s = pool.pick(nullptr, "");
    bool probe = false;
    for (int i = 0; i < 2; ++i) {
      pool.breakerSend(s, probe);
      pool.breakerResult(s, false, probe);
    }
    QCOMPARE(pool.pick(nullptr, ""), nullptr);
    const sluice::proxy::Unavailable why = pool.unavailable();
    QCOMPARE(why.status, 503);
    QCOMPARE(why.reason, std::string_view("breaker_open"));
    QVERIFY(why.retry_after_s >= 29 && why.retry_after_s <= 30);
    QCOMPARE(sluice::stats::read(stats_->node().breaker_opened), uint64_t(1));
  }

  void inFlightBoundQueuesThenRefuses() {
    auto cfg = upstream({9001});
    cfg.max_in_flight = 2;
    cfg.queue_size = 1;
    cfg.queue_timeout = std::chrono::milliseconds(50);
    UpstreamPool pool(&loop_, cfg, addressesOf(cfg), *stats_, *reaper_, nullptr, nullptr, 2);  // 1 per worker
    Waiter a;
    Waiter b;
    Waiter c;
    QCOMPARE(pool.admit(&a), UpstreamPool::Admission::Admitted);
    QCOMPARE(pool.admit(&b), UpstreamPool::Admission::Queued);
    QCOMPARE(pool.admit(&c), UpstreamPool::Admission::Full);
    pool.leave();                  // a is done: b gets the slot, told on the next tick, not now
    QCOMPARE(b.admitted, 0);
    uv_run(&loop_, UV_RUN_NOWAIT);
    QCOMPARE(b.admitted, 1);
    QCOMPARE(pool.admit(&c), UpstreamPool::Admission::Queued);
    for (int i = 0; i < 100 && c.timed_out == 0; ++i) {
      uv_run(&loop_, UV_RUN_ONCE);  // the queue timer fires after 50 ms
    }
    QCOMPARE(c.timed_out, 1);
    QCOMPARE(c.admitted, 0);
    QCOMPARE(sluice::stats::read(stats_->node().upstream_queue_full), uint64_t(1));
    QCOMPARE(sluice::stats::read(stats_->node().upstream_queue_timeout), uint64_t(1));
    QCOMPARE(pool.admit(&a), UpstreamPool::Admission::Queued);
    pool.cancel(&a);               // gone while queued
    pool.leave();                  // b is done: nobody waits
    QCOMPARE(pool.admit(&c), UpstreamPool::Admission::Admitted);
    pool.leave();
  }

 private:
  uv_loop_t loop_{};
  std::unique_ptr<sluice::core::Reaper> reaper_;
  std::unique_ptr<sluice::stats::WorkerStats> stats_;
};

QTEST_GUILESS_MAIN(UpstreamPoolHealthTest)
#include "upstream_pool_health_test.moc"
