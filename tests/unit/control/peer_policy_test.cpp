// Who may use the control socket, and the /proc/PID/status Groups line the check falls back on.

#include "engine/control/peer_policy.h"

#include <QtTest>

#include "engine/control/peer_credentials.h"

using namespace sluice::control;

namespace {

PeerPolicy policy() {
  PeerPolicy p;
  p.node_uid = 1000;
  p.socket_gid = 2000;
  p.uids = {1500};
  p.groups = {3000};
  return p;
}

std::function<std::vector<gid_t>()> groups(std::vector<gid_t> list, int* calls = nullptr) {
  return [list, calls] {
    if (calls != nullptr) {
      ++*calls;
    }
    return list;
  };
}

}  // namespace

class PeerPolicyTest : public QObject {
  Q_OBJECT

 private slots:
  void usersAllowed() {
    int calls = 0;
    QVERIFY(policy().allows(Peer{0, 99, 1}, groups({}, &calls)));     // root
    QVERIFY(policy().allows(Peer{1000, 99, 1}, groups({}, &calls)));  // the node's user
    QVERIFY(policy().allows(Peer{1500, 99, 1}, groups({}, &calls)));  // allow_uids
    QCOMPARE(calls, 0);  // decided without reading the groups
  }

  void groupsAllowed() {
    QVERIFY(policy().allows(Peer{1001, 2000, 1}, groups({})));        // primary = socket group
    QVERIFY(policy().allows(Peer{1001, 3000, 1}, groups({})));        // primary in allow_groups
    QVERIFY(policy().allows(Peer{1001, 99, 1}, groups({5, 2000})));   // supplementary = socket group
    QVERIFY(policy().allows(Peer{1001, 99, 1}, groups({3000})));      // supplementary in allow_groups
  }

  void othersRefused() {
    QVERIFY(!policy().allows(Peer{1001, 99, 1}, groups({5, 6})));
    QVERIFY(!policy().allows(Peer{65534, 65534, 1}, nullptr));
  }

  void statusGroupsLine() {
    const char* status = "Name:\tcat\nUid:\t1000\t1000\t1000\t1000\nGroups:\t4 24 27 1000 \nNSpid:\t1\n";
    QCOMPARE(parseStatusGroups(status), (std::vector<gid_t>{4, 24, 27, 1000}));
    QCOMPARE(parseStatusGroups("Name:\tx\nGroups:\t\nX: 1\n"), std::vector<gid_t>{});
    QCOMPARE(parseStatusGroups("Name:\tx\n"), std::vector<gid_t>{});
    QCOMPARE(parseStatusGroups("Groups:\t5 x 6\n"), std::vector<gid_t>{5});
  }

  void fromConfigFillsTheNodesIds() {
    sluice::config::ControlConfig control;
    PeerPolicy p = PeerPolicy::fromConfig(control);
    QCOMPARE(p.node_uid, ::geteuid());
    QCOMPARE(p.socket_gid, ::getegid());
    QCOMPARE(p.max_clients, uint32_t{64});
    control.socket_group = 4242;
    control.max_clients = 3;
    p = PeerPolicy::fromConfig(control);
    QCOMPARE(p.socket_gid, gid_t{4242});
    QCOMPARE(p.max_clients, uint32_t{3});
  }
};

QTEST_GUILESS_MAIN(PeerPolicyTest)
#include "peer_policy_test.moc"
