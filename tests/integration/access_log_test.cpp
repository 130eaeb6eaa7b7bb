// The access log (log.access_log: FILE): one JSON line per request, flushed within about a second.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class AccessLogTest : public QObject {
  Q_OBJECT

 private:
  QList<QJsonObject> entries() const {
    QList<QJsonObject> list;
    QFile file(node_.tempPath() + QStringLiteral("/access.log"));
    if (!file.open(QIODevice::ReadOnly)) {
      return list;
    }
    for (const QByteArray& line : file.readAll().split('\n')) {
      if (!line.trimmed().isEmpty()) {
        list.append(QJsonDocument::fromJson(line).object());
      }
    }
    return list;
  }

  NodeProcess node_;

 private slots:
  void initTestCase() {
    const QString routes = QStringLiteral(
        "routes:\n"
        "  - { name: hello, match: { path_prefix: /hello }, respond: { status: 200, body: \"hi\" } }\n");
    QVERIFY2(node_.start(nodeConfig(routes, {.access_log = QStringLiteral("${TMP}/access.log")})),
             qPrintable(node_.output()));
  }

  void oneLinePerRequest() {
    const int port = node_.port(QStringLiteral("plain"));
    QStringList ids;
    QList<int> statuses;
    const QList<QByteArray> targets = {"/hello", "/hello/x?q=1", "/missing"};
    for (const QByteArray& target : targets) {
      const HttpResponse response = RawHttpClient::exchange(port, buildRequest("GET", target));
      QVERIFY(response.status != 0);
      QVERIFY(!response.header("X-Request-ID").isEmpty());
      ids.append(QString::fromLatin1(response.header("X-Request-ID")));
      statuses.append(response.status);
    }
    QVERIFY2(waitUntil([&] { return entries().size() >= 3; }, 3000, 50), qPrintable(node_.output()));
    const QList<QJsonObject> log = entries();
    QCOMPARE(log.size(), 3);
    for (int i = 0; i < 3; ++i) {
      const QJsonObject& entry = log[i];
      QCOMPARE(entry.value("request_id").toString(), ids[i]);
      QCOMPARE(entry.value("status").toInt(), statuses[i]);
      QCOMPARE(entry.value("method").toString(), QStringLiteral("GET"));
    }
    QCOMPARE(log[0].value("route").toString(), QStringLiteral("hello"));
    QCOMPARE(log[0].value("path").toString(), QStringLiteral("/hello"));
    QCOMPARE(log[1].value("route").toString(), QStringLiteral("hello"));
    QVERIFY(log[1].value("path").toString().startsWith(QStringLiteral("/hello/x")));
    QCOMPARE(log[2].value("status").toInt(), 404);
  }
};

QTEST_GUILESS_MAIN(AccessLogTest)
#include "access_log_test.moc"
