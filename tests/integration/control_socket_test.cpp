// The control socket's file and who may use it: mode 0660 and the configured group, the folder made
// when missing, a stale file replaced, a live one refused, the file removed at shutdown; peers
// checked with SO_PEERCRED (another user is refused even when the file system lets it through),
// allow_uids / allow_groups (supplementary groups too), and max_clients. The peer tests need root:
// they fork children that become other users.

#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <QFile>
#include <cstring>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/control_client.h"
#include "tests/support/foreign_peer.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

constexpr const char* kRoutes = "routes:\n  - { name: r, match: { path_prefix: / }, respond: { body: ok } }\n";

// nodeConfig() with more keys in its `control:` section (its last line is `  socket: ...`, then
// `  admin_http: ...`).
QString configWithControl(const QString& control_keys, const QString& socket = QStringLiteral("${TMP}/control.sock")) {
  QString yaml = nodeConfig(QString::fromLatin1(kRoutes));
  yaml.replace(QStringLiteral("  socket: ${TMP}/control.sock\n"), QStringLiteral("  socket: %1\n%2").arg(socket, control_keys));
  return yaml;
}

// A socket file nobody listens on, as a node killed with SIGKILL leaves behind.
bool makeStaleSocket(const QString& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const QByteArray bytes = path.toLocal8Bit();
  std::memcpy(address.sun_path, bytes.constData(), static_cast<size_t>(bytes.size()));
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  const bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 && ::listen(fd, 1) == 0;
  ::close(fd);
  return bound;
}

QJsonObject firstLine(const QByteArray& received) {
  return QJsonDocument::fromJson(received.left(received.indexOf('\n'))).object();
}

// Lets other users walk into the node's private temp dir, so that only the socket's own mode
// (and the node) decide.
bool openFolder(const NodeProcess& node) {
  return ::chmod(node.tempPath().toLocal8Bit().constData(), 0711) == 0;
}

}  // namespace

class ControlSocketTest : public QObject {
  Q_OBJECT

 private slots:
  void modeGroupAndFolder() {
    if (::geteuid() != 0) {
      QSKIP("chown to another group needs root");
    }
    NodeProcess node;
    QVERIFY2(node.start(configWithControl(QStringLiteral("  socket_group: 4242\n"),
                                          QStringLiteral("${TMP}/run/sub/control.sock"))),
             qPrintable(node.output()));
    const QString path = node.tempPath() + QStringLiteral("/run/sub/control.sock");
    struct stat st {};
    QCOMPARE(::stat(path.toLocal8Bit().constData(), &st), 0);
    QVERIFY(S_ISSOCK(st.st_mode));
    QCOMPARE(st.st_mode & 07777, mode_t{0660});
    QCOMPARE(st.st_gid, gid_t{4242});
    QCOMPARE(st.st_uid, ::geteuid());
    // The folders the node made: 0750, in the socket's group, so that its members can reach it.
    for (const char* folder : {"/run", "/run/sub"}) {
      QCOMPARE(::stat((node.tempPath() + QLatin1String(folder)).toLocal8Bit().constData(), &st), 0);
      QCOMPARE(st.st_mode & 07777, mode_t{0750});
      QCOMPARE(st.st_gid, gid_t{4242});
    }
    ControlClient client;
    QVERIFY(client.connect(path));
    QVERIFY(client.call(QStringLiteral("hello")).contains(QStringLiteral("result")));

    QCOMPARE(node.stop(), 0);
    QVERIFY2(!QFile::exists(path), "the socket file is removed at shutdown");
  }

  void defaultModeAndGroup() {
    NodeProcess node;
    QVERIFY2(node.start(nodeConfig(QString::fromLatin1(kRoutes))), qPrintable(node.output()));
    struct stat st {};
    QCOMPARE(::stat((node.tempPath() + QStringLiteral("/control.sock")).toLocal8Bit().constData(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t{0660});
    QCOMPARE(st.st_gid, ::getegid());
  }

  void staleSocketIsReplaced() {
    NodeProcess node;
    // The node's temp dir exists before start(): put the leftover there first.
    QVERIFY(makeStaleSocket(node.tempPath() + QStringLiteral("/control.sock")));
    QVERIFY2(node.start(nodeConfig(QString::fromLatin1(kRoutes))), qPrintable(node.output()));
    ControlClient client;
    QVERIFY2(client.connect(node.tempPath() + QStringLiteral("/control.sock")), qPrintable(client.lastError()));
    QVERIFY(client.call(QStringLiteral("hello")).contains(QStringLiteral("result")));
  }

  void liveSocketIsAStartUpError() {
    NodeProcess first;
    QVERIFY2(first.start(nodeConfig(QString::fromLatin1(kRoutes))), qPrintable(first.output()));
    const QString path = first.tempPath() + QStringLiteral("/control.sock");
    NodeProcess second;
    QVERIFY(!second.start(configWithControl(QString(), path)));
    QCOMPARE(second.waitForExit(10000), 1);
    QVERIFY2(second.output().contains(QStringLiteral("another node is listening on ") + path), qPrintable(second.output()));
    // The first node keeps its socket.
    ControlClient client;
    QVERIFY(client.connect(path));
    QVERIFY(client.call(QStringLiteral("hello")).contains(QStringLiteral("result")));
  }

  void somethingElseAtThePathIsAStartUpError() {
    NodeProcess node;
    QFile file(node.tempPath() + QStringLiteral("/control.sock"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    QVERIFY(!node.start(nodeConfig(QString::fromLatin1(kRoutes))));
    QCOMPARE(node.waitForExit(10000), 1);
    QVERIFY2(node.output().contains(QStringLiteral("exists and is not a socket")), qPrintable(node.output()));
    QVERIFY(file.exists());
  }

  // Another user: the file system refuses it (0660); with the file opened up (0666), the node
  // still refuses it after SO_PEERCRED, with one `forbidden` line, and logs it.
  void otherUsersAreRefused() {
    if (::geteuid() != 0) {
      QSKIP("becoming another user needs root");
    }
    NodeProcess node;
    QVERIFY2(node.start(nodeConfig(QString::fromLatin1(kRoutes))), qPrintable(node.output()));
    QVERIFY(openFolder(node));
    const QString path = node.tempPath() + QStringLiteral("/control.sock");

    ForeignAttempt denied = connectAs(path, ForeignIdentity{}, R"({"id":1,"method":"hello"})");
    QVERIFY2(denied.ran, qPrintable(denied.error));
    QVERIFY(!denied.connected);
    QCOMPARE(denied.connect_errno, EACCES);

    QCOMPARE(::chmod(path.toLocal8Bit().constData(), 0666), 0);
    ForeignAttempt refused = connectAs(path, ForeignIdentity{}, R"({"id":1,"method":"hello"})");
    QVERIFY2(refused.ran, qPrintable(refused.error));
    QVERIFY(refused.connected);
    QVERIFY2(refused.closed, refused.received.constData());
    QCOMPARE(refused.received.count('\n'), 1);
    const QJsonObject line = firstLine(refused.received);
    QVERIFY(line.value(QStringLiteral("id")).isNull());
    const QJsonObject error = line.value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("forbidden"));
    QCOMPARE(error.value(QStringLiteral("message")).toString(),
             QStringLiteral("uid 65534 (gid 65534) is not allowed on this socket"));
    QVERIFY(node.waitForOutput(QStringLiteral("control: refused uid=65534 gid=65534 pid=")));

    // Root still gets in.
    ControlClient client;
    QVERIFY(client.connect(path));
    QVERIFY(client.call(QStringLiteral("hello")).contains(QStringLiteral("result")));
  }

  void allowedUsersAndGroups() {
    if (::geteuid() != 0) {
      QSKIP("becoming another user needs root");
    }
    NodeProcess node;
    QVERIFY2(node.start(configWithControl(QStringLiteral("  allow_uids: [60001]\n  allow_groups: [4243]\n"))),
             qPrintable(node.output()));
    QVERIFY(openFolder(node));
    const QString path = node.tempPath() + QStringLiteral("/control.sock");
    QCOMPARE(::chmod(path.toLocal8Bit().constData(), 0666), 0);
    const QByteArray hello = R"({"id":1,"method":"hello"})";

    const ForeignAttempt by_uid = connectAs(path, ForeignIdentity{60001, 60001, {}}, hello, 1500);
    QVERIFY2(by_uid.ran && by_uid.connected, qPrintable(by_uid.error));
    QCOMPARE(firstLine(by_uid.received).value(QStringLiteral("result")).toObject().value(QStringLiteral("peer_uid")).toInt(),
             60001);
    QVERIFY(!by_uid.closed);

    const ForeignAttempt by_primary = connectAs(path, ForeignIdentity{60002, 4243, {}}, hello, 1500);
    QVERIFY2(firstLine(by_primary.received).contains(QStringLiteral("result")), by_primary.received.constData());

    const ForeignAttempt by_supplementary = connectAs(path, ForeignIdentity{60003, 60003, {17, 4243}}, hello, 1500);
    QVERIFY2(firstLine(by_supplementary.received).contains(QStringLiteral("result")),
             by_supplementary.received.constData());

    const ForeignAttempt neither = connectAs(path, ForeignIdentity{60004, 60004, {17}}, hello, 1500);
    QCOMPARE(firstLine(neither.received).value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
             QStringLiteral("forbidden"));
    QVERIFY(neither.closed);
  }

  void tooManyClients() {
    NodeProcess node;
    QVERIFY2(node.start(configWithControl(QStringLiteral("  max_clients: 2\n"))), qPrintable(node.output()));
    const QString path = node.tempPath() + QStringLiteral("/control.sock");
    ControlClient a;
    ControlClient b;
    ControlClient c;
    QVERIFY(a.connect(path) && b.connect(path));
    QVERIFY(a.call(QStringLiteral("hello")).contains(QStringLiteral("result")));
    QVERIFY(b.call(QStringLiteral("hello")).contains(QStringLiteral("result")));
    QVERIFY(c.connect(path));
    std::optional<QJsonObject> refused = c.readJson();
    QVERIFY2(refused, qPrintable(c.lastError()));
    const QJsonObject error = refused->value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("forbidden"));
    QCOMPARE(error.value(QStringLiteral("message")).toString(), QStringLiteral("too many clients (2)"));
    QVERIFY(c.isClosedByPeer());

    // A place frees up when a client leaves.
    a.close();
    QVERIFY(waitUntil(
        [&] {
          ControlClient d;
          return d.connect(path) && d.call(QStringLiteral("hello"), {}, 1000).contains(QStringLiteral("result"));
        },
        5000, 50));
  }

  // Who may attach follows a SIGHUP reload; clients already attached stay.
  void reloadAppliesToNewClients() {
    NodeProcess node;
    QVERIFY2(node.start(configWithControl(QStringLiteral("  max_clients: 1\n"))), qPrintable(node.output()));
    const QString path = node.tempPath() + QStringLiteral("/control.sock");
    ControlClient first;
    QVERIFY(first.connect(path));
    QVERIFY(first.call(QStringLiteral("hello")).contains(QStringLiteral("result")));
    ControlClient refused;
    QVERIFY(refused.connect(path));
    QVERIFY(refused.isClosedByPeer());

    QVERIFY(node.writeConfig(configWithControl(QStringLiteral("  max_clients: 2\n"))));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY(node.waitForOutput(QStringLiteral("config reloaded: version 2")));
    ControlClient second;
    QVERIFY(second.connect(path));
    const QJsonObject hello = second.call(QStringLiteral("hello"));
    QCOMPARE(hello.value(QStringLiteral("result")).toObject().value(QStringLiteral("config_version")).toInt(), 2);
    QVERIFY(first.call(QStringLiteral("hello")).contains(QStringLiteral("result")));
  }
};

QTEST_GUILESS_MAIN(ControlSocketTest)
#include "control_socket_test.moc"
