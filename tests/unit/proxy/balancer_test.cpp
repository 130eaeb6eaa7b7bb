// Balancer (engine/proxy/balancer.h): round_robin, least_conn, consistent_hash and passive health.

#include "engine/proxy/balancer.h"

#include <QtTest>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using sluice::config::Balance;
using sluice::proxy::Balancer;
using sluice::proxy::stableHash;
using sluice::proxy::UpstreamServer;

namespace {

using TimePoint = std::chrono::steady_clock::time_point;
const TimePoint kNow = TimePoint(1000h);

std::vector<UpstreamServer> makeServers(std::initializer_list<const char*> names) {
  std::vector<UpstreamServer> servers;
  for (const char* name : names) {
    UpstreamServer s;
    s.name = name;
    servers.push_back(std::move(s));
  }
  return servers;
}

std::string name(const UpstreamServer* s) {
  return s == nullptr ? std::string("<none>") : s->name;
}

// The names of `count` picks in a row.
std::vector<std::string> picks(Balancer& b, int count, TimePoint now,
                               const UpstreamServer* exclude = nullptr) {
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    out.push_back(name(b.pick(exclude, "", now)));
  }
  return out;
}

using Names = std::vector<std::string>;

}  // namespace

class BalancerTest : public QObject {
  Q_OBJECT

 private slots:
  void roundRobinAlternates() {
    auto servers = makeServers({"a:80", "b:80", "c:80"});
    Balancer b(Balance::RoundRobin, servers);
    QCOMPARE(picks(b, 7, kNow), (Names{"a:80", "b:80", "c:80", "a:80", "b:80", "c:80", "a:80"}));
  }

  void roundRobinSkipsDownServerUntilItsTimeout() {
    auto servers = makeServers({"a:80", "b:80", "c:80"});
    servers[1].down = true;
    servers[1].down_until = kNow + 10s;
    Balancer b(Balance::RoundRobin, servers);
    QCOMPARE(picks(b, 4, kNow), (Names{"a:80", "c:80", "a:80", "c:80"}));
    QCOMPARE(picks(b, 2, kNow + 9s), (Names{"a:80", "c:80"}));
    // Once down_until has passed, the server is tried again (still marked down until it answers).
    QCOMPARE(picks(b, 3, kNow + 10s), (Names{"a:80", "b:80", "c:80"}));
  }

  void roundRobinExclude() {
    auto servers = makeServers({"a:80", "b:80", "c:80"});
    Balancer b(Balance::RoundRobin, servers);
    QCOMPARE(name(b.pick(&servers[0], "", kNow)), std::string("b:80"));
    QCOMPARE(name(b.pick(&servers[2], "", kNow)), std::string("a:80"));
    auto single = makeServers({"only:80"});
    Balancer s(Balance::RoundRobin, single);
    QCOMPARE(s.pick(&single[0], "", kNow), nullptr);
    QCOMPARE(name(s.pick(nullptr, "", kNow)), std::string("only:80"));
  }

  void allDownIsNull() {
    for (Balance kind : {Balance::RoundRobin, Balance::LeastConn, Balance::ConsistentHash}) {
      auto servers = makeServers({"a:80", "b:80"});
      for (UpstreamServer& s : servers) {
        s.down = true;
        s.down_until = kNow + 1s;
      }
      Balancer b(kind, servers);
      QCOMPARE(b.pick(nullptr, "key", kNow), nullptr);
      QCOMPARE(name(b.pick(nullptr, "key", kNow + 1s)) != "<none>", true);
      std::vector<UpstreamServer> none;
      Balancer empty(kind, none);
      QCOMPARE(empty.pick(nullptr, "key", kNow), nullptr);
    }
  }

  void drainedServerGetsNoRequests() {
    auto servers = makeServers({"a:80", "b:80", "c:80"});
    servers[1].drained = true;
    Balancer rr(Balance::RoundRobin, servers);
    QCOMPARE(picks(rr, 4, kNow), (Names{"a:80", "c:80", "a:80", "c:80"}));
    // least_conn skips it even when it is the least loaded.
    servers[0].active = 3;
    servers[2].active = 2;
    Balancer lc(Balance::LeastConn, servers);
    QCOMPARE(picks(lc, 3, kNow), (Names{"c:80", "c:80", "c:80"}));
    // Unlike a down server, a drained one does not come back with time.
    QCOMPARE(picks(rr, 2, kNow + 1000h), (Names{"a:80", "c:80"}));
    servers[1].drained = false;
    QCOMPARE(picks(rr, 3, kNow), (Names{"a:80", "b:80", "c:80"}));
  }

  void allDrainedIsNull() {
    for (Balance kind : {Balance::RoundRobin, Balance::LeastConn, Balance::ConsistentHash}) {
      auto servers = makeServers({"a:80", "b:80"});
      servers[0].drained = true;
      servers[1].drained = true;
      Balancer b(kind, servers);
      QCOMPARE(b.pick(nullptr, "key", kNow), nullptr);
      QCOMPARE(b.pick(nullptr, "key", kNow + 1000h), nullptr);
    }
  }

  void leastConnPicksLowest() {
    auto servers = makeServers({"a:80", "b:80", "c:80"});
    servers[0].active = 5;
    servers[1].active = 2;
    servers[2].active = 7;
    Balancer b(Balance::LeastConn, servers);
    QCOMPARE(picks(b, 3, kNow), (Names{"b:80", "b:80", "b:80"}));
    servers[1].active = 9;
    QCOMPARE(name(b.pick(nullptr, "", kNow)), std::string("a:80"));
    // The lowest is down: the next lowest.
    servers[0].down = true;
    servers[0].down_until = kNow + 5s;
    QCOMPARE(name(b.pick(nullptr, "", kNow)), std::string("c:80"));
    QCOMPARE(name(b.pick(&servers[2], "", kNow)), std::string("b:80"));
  }

  void leastConnTiesRotate() {
    auto servers = makeServers({"a:80", "b:80", "c:80"});
    servers[0].active = 1;
    servers[1].active = 1;
    servers[2].active = 3;
    Balancer b(Balance::LeastConn, servers);
    QCOMPARE(picks(b, 4, kNow), (Names{"a:80", "b:80", "a:80", "b:80"}));
    servers[2].active = 1;
    const Names three = picks(b, 3, kNow);
    QCOMPARE(std::set<std::string>(three.begin(), three.end()).size(), size_t{3});
  }

  void hashIsStable() {
    QCOMPARE(stableHash("client-1"), stableHash(std::string("client-1")));
    QVERIFY(stableHash("client-1") != stableHash("client-2"));
    QVERIFY(stableHash("") != stableHash("a"));
  }

  void consistentHashSameKeySameServer() {
    auto servers = makeServers({"a:80", "b:80", "c:80"});
    Balancer b(Balance::ConsistentHash, servers);
    auto copy = makeServers({"a:80", "b:80", "c:80"});
    Balancer other(Balance::ConsistentHash, copy);
    for (int i = 0; i < 200; ++i) {
      const std::string key = "10.0.0." + std::to_string(i);
      const std::string first = name(b.pick(nullptr, key, kNow));
      QCOMPARE(name(b.pick(nullptr, key, kNow)), first);
      QCOMPARE(name(other.pick(nullptr, key, kNow)), first);  // same names, same ring
    }
  }

  void consistentHashSpreadsKeys() {
    auto servers = makeServers({"a:80", "b:80", "c:80"});
    Balancer b(Balance::ConsistentHash, servers);
    std::map<std::string, int> counts;
    for (int i = 0; i < 3000; ++i) {
      ++counts[name(b.pick(nullptr, "client-" + std::to_string(i), kNow))];
    }
    QCOMPARE(counts.size(), size_t{3});
    for (const auto& [server, count] : counts) {
      QVERIFY2(count >= 600 && count <= 1500,
               qPrintable(QString::fromStdString(server) + ": " + QString::number(count) + " of 3000"));
    }
  }

  void consistentHashRemapsOnlyTheDownServersKeys() {
    auto servers = makeServers({"a:80", "b:80", "c:80"});
    Balancer b(Balance::ConsistentHash, servers);
    std::vector<std::string> before;
    for (int i = 0; i < 3000; ++i) {
      before.push_back(name(b.pick(nullptr, "client-" + std::to_string(i), kNow)));
    }
    servers[2].down = true;
    servers[2].down_until = kNow + 30s;
    int moved = 0;
    for (int i = 0; i < 3000; ++i) {
      const std::string after = name(b.pick(nullptr, "client-" + std::to_string(i), kNow));
      QVERIFY(after != "c:80");
      if (before[static_cast<size_t>(i)] == "c:80") {
        ++moved;
        QVERIFY(after == "a:80" || after == "b:80");
      } else {
        QCOMPARE(after, before[static_cast<size_t>(i)]);
      }
    }
    QVERIFY(moved > 0);
    // Back up: every key returns to its first server.
    for (int i = 0; i < 3000; ++i) {
      QCOMPARE(name(b.pick(nullptr, "client-" + std::to_string(i), kNow + 30s)),
               before[static_cast<size_t>(i)]);
    }
  }

  void consistentHashExclude() {
    auto servers = makeServers({"a:80", "b:80", "c:80"});
    Balancer b(Balance::ConsistentHash, servers);
    for (int i = 0; i < 50; ++i) {
      const std::string key = "k" + std::to_string(i);
      UpstreamServer* first = b.pick(nullptr, key, kNow);
      QVERIFY(first != nullptr);
      UpstreamServer* retry = b.pick(first, key, kNow);
      QVERIFY(retry != nullptr);
      QVERIFY(retry != first);
      QCOMPARE(b.pick(first, key, kNow), retry);  // the fallback is stable too
    }
  }
};

QTEST_APPLESS_MAIN(BalancerTest)
#include "balancer_test.moc"
