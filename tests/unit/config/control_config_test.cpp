// The `control:` section: socket group and allowed users/groups by name or number (names looked
// up when the config loads), the client limit, and the errors for each.

#include <QtTest>

#include "engine/config/config_loader.h"
#include "tests/unit/config/config_errors.h"

using sluice::config::loadConfigText;
using sluice::config::LoadResult;
using sluice::test::errorsOf;

namespace {

// Line 4 is the first line of the control section's body.
std::string withControl(const std::string& body) {
  return "listeners:\n  - { name: plain, address: 127.0.0.1:0 }\ncontrol:\n" + body;
}

}  // namespace

class ControlConfigTest : public QObject {
  Q_OBJECT

 private slots:
  void defaults() {
    LoadResult r = loadConfigText(withControl("  socket: /tmp/x.sock\n"), "t.yaml");
    QVERIFY(r.ok());
    QVERIFY(!r.config->control.socket_group.has_value());
    QVERIFY(r.config->control.allow_uids.empty());
    QVERIFY(r.config->control.allow_groups.empty());
    QCOMPARE(r.config->control.max_clients, uint32_t{64});
  }

  // root and nogroup/nobody exist on every Debian system.
  void namesAndNumbers() {
    LoadResult r = loadConfigText(withControl("  socket_group: nogroup\n"
                                              "  allow_uids: [0, nobody, 1234]\n"
                                              "  allow_groups: [root, 77]\n"
                                              "  max_clients: 2\n"),
                                  "t.yaml");
    QVERIFY2(r.ok(), r.errors.empty() ? "" : r.errors[0].str().c_str());
    QCOMPARE(r.config->control.socket_group, std::optional<gid_t>(65534));
    QCOMPARE(r.config->control.allow_uids, (std::vector<uid_t>{0, 65534, 1234}));
    QCOMPARE(r.config->control.allow_groups, (std::vector<gid_t>{0, 77}));
    QCOMPARE(r.config->control.max_clients, uint32_t{2});
    r = loadConfigText(withControl("  socket_group: 4242\n"), "t.yaml");
    QVERIFY(r.ok());
    QCOMPARE(r.config->control.socket_group, std::optional<gid_t>(4242));
  }

  void errors() {
    QCOMPARE(errorsOf(withControl("  socket_group: no-such-group-here\n")),
             QStringList{"t.yaml:4: 'socket_group': unknown group 'no-such-group-here'"});
    QCOMPARE(errorsOf(withControl("  allow_uids:\n    - 0\n    - no-such-user-here\n")),
             QStringList{"t.yaml:6: 'allow_uids': unknown user 'no-such-user-here'"});
    QCOMPARE(errorsOf(withControl("  allow_groups: wheel\n")),
             QStringList{"t.yaml:4: 'allow_groups' must be a list, got 'wheel'"});
    QCOMPARE(errorsOf(withControl("  allow_uids: [[1]]\n")),
             QStringList{"t.yaml:4: 'allow_uids' must be a user name or number, got a list"});
    QCOMPARE(errorsOf(withControl("  allow_uids: [4294967295]\n")),
             QStringList{"t.yaml:4: 'allow_uids' must be 0..4294967294, got 4294967295"});
    QCOMPARE(errorsOf(withControl("  max_clients: 0\n")),
             QStringList{"t.yaml:4: 'max_clients' must be 1..1024, got 0"});
    QCOMPARE(errorsOf(withControl("  max_clients: 1025\n")),
             QStringList{"t.yaml:4: 'max_clients' must be 1..1024, got 1025"});
    QCOMPARE(errorsOf(withControl("  socket_grup: root\n")),
             QStringList{"t.yaml:4: unknown key 'socket_grup' (did you mean 'socket_group'?)"});
  }
};

QTEST_GUILESS_MAIN(ControlConfigTest)
#include "control_config_test.moc"
