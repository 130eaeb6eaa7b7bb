// Large bodies stream through the node in bounded memory: 1 GiB down and up (checked against the
// node's peak RSS, VmHWM), chunked re-framing, and backpressure from a slow reader.

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <cstring>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/proc_status.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

namespace {

constexpr qint64 kGiB = 1024ll * 1024 * 1024;
constexpr qint64 kMaxNodeKb = 200 * 1024;  // 200 MiB

// 'a' + i % 26, the test origin's body pattern; long enough to slice 256 KiB from any phase.
const QByteArray& pattern() {
  static const QByteArray bytes = [] {
    QByteArray text(256 * 1024 + 26, '\0');
    for (qsizetype i = 0; i < text.size(); ++i) {
      text[i] = static_cast<char>('a' + i % 26);
    }
    return text;
  }();
  return bytes;
}

// A body sink that checks every byte against the pattern.
struct PatternChecker {
  qint64 offset = 0;
  bool ok = true;
  bool operator()(std::string_view data) {
    while (!data.empty()) {
      const size_t n = std::min<size_t>(data.size(), 256 * 1024);
      if (std::memcmp(data.data(), pattern().constData() + offset % 26, n) != 0) {
        ok = false;
      }
      offset += static_cast<qint64>(n);
      data.remove_prefix(n);
    }
    return true;
  }
};

}  // namespace

class StreamingTest : public QObject {
  Q_OBJECT

 private:
  // Sends `total` pattern bytes as the body (raw, or in chunked framing), hashing them as it goes.
  bool sendPatternBody(RawHttpClient& client, qint64 total, bool chunked, QCryptographicHash& hash) {
    const qint64 slice = chunked ? 64 * 1024 : 256 * 1024;
    for (qint64 sent = 0; sent < total;) {
      const qint64 n = std::min(slice, total - sent);
      const QByteArray data = QByteArray::fromRawData(pattern().constData() + sent % 26, n);
      hash.addData(data);
      const QByteArray framed = chunked ? QByteArray::number(n, 16) + "\r\n" + data + "\r\n" : data;
      if (!client.send(framed, 30000)) {
        return false;
      }
      sent += n;
    }
    return !chunked || client.send("0\r\n\r\n");
  }

  OriginProcess origin_;
  NodeProcess node_;
  int port_ = -1;

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start(QStringLiteral("o1")));
    const QString sections = QStringLiteral(
                                 "upstreams:\n"
                                 "  - name: app\n"
                                 "    servers: [%1]\n"
                                 "routes:\n"
                                 "  - name: app\n"
                                 "    match: { path_prefix: / }\n"
                                 "    upstream: app\n"
                                 "    max_body_size: 0\n")
                                 .arg(origin_.address());
    QVERIFY2(node_.start(nodeConfig(sections)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
    QVERIFY(port_ > 0);
  }

  void download1GiB() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("GET", "/size/" + QByteArray::number(kGiB))));
    PatternChecker checker;
    const HttpResponse response = client.readResponse(60000, {.sink = std::ref(checker)});
    QVERIFY2(response.ok(), qPrintable(response.describe()));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body_bytes, kGiB);
    QVERIFY(checker.ok);
    const qint64 peak = procStatusKb(node_.pid(), QStringLiteral("VmHWM"));
    qInfo("node VmHWM %lld KiB", peak);
    QVERIFY2(peak > 0 && peak < kMaxNodeKb, qPrintable(QStringLiteral("node VmHWM %1 KiB").arg(peak)));
  }

  void upload1GiB() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + QByteArray::number(kGiB) +
                        "\r\n\r\n"));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QVERIFY2(sendPatternBody(client, kGiB, false, hash), qPrintable(client.lastError()));
    const HttpResponse response = client.readResponse(30000);
    QCOMPARE(response.status, 200);
    const QJsonObject result = QJsonDocument::fromJson(response.body).object();
    QCOMPARE(result.value("bytes").toInteger(), kGiB);
    QCOMPARE(result.value("sha256").toString().toLatin1(), hash.result().toHex());
    const qint64 peak = procStatusKb(node_.pid(), QStringLiteral("VmHWM"));
    qInfo("node VmHWM %lld KiB", peak);
    QVERIFY2(peak > 0 && peak < kMaxNodeKb, qPrintable(QStringLiteral("node VmHWM %1 KiB").arg(peak)));
  }

  void chunkedUpload() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
    const qint64 total = 64ll * 1024 * 1024 + 7;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QVERIFY2(sendPatternBody(client, total, true, hash), qPrintable(client.lastError()));
    const HttpResponse response = client.readResponse(30000);
    QCOMPARE(response.status, 200);
    const QJsonObject result = QJsonDocument::fromJson(response.body).object();
    QCOMPARE(result.value("bytes").toInteger(), total);
    QCOMPARE(result.value("sha256").toString().toLatin1(), hash.result().toHex());
  }

  void chunkedResponseIsReframed() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("GET", "/size/100000?chunked=1") + buildRequest("GET", "/size/3")));
    PatternChecker checker;
    const HttpResponse response = client.readResponse(10000, {.sink = std::ref(checker)});
    QVERIFY2(response.ok(), qPrintable(response.describe()));
    QCOMPARE(response.body_bytes, 100000);
    QVERIFY(checker.ok);
    QVERIFY(!(response.chunked && response.hasHeader("Content-Length")));
    QVERIFY(response.chunked || response.header("Content-Length") == "100000");
    // The framing ended exactly where it should: the next response parses.
    QCOMPARE(client.readResponse().body, QByteArray("abc"));
  }

  void chunkedResponseToHttp10Client() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send("GET /size/50000?chunked=1 HTTP/1.0\r\nHost: x\r\n\r\n"));
    const QByteArray raw = client.readUntilClosed(10000);
    const qsizetype end = raw.indexOf("\r\n\r\n");
    QVERIFY(end > 0);
    const QByteArray head = raw.left(end).toLower();
    QVERIFY2(!head.contains("transfer-encoding"), head.constData());  // HTTP/1.0 has no chunked
    QByteArray expected;
    for (int i = 0; i < 50000; ++i) {
      expected += static_cast<char>('a' + i % 26);
    }
    QCOMPARE(raw.mid(end + 4), expected);
  }

  void slowReaderGetsBackpressure() {
    RawHttpClient client;
    client.setReceiveBuffer(64 * 1024);
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("GET", "/size/" + QByteArray::number(512ll * 1024 * 1024))));
    // Read 24 MiB at about 8 MiB/s while the origin could send the whole 512 MiB in a second.
    qint64 read = 0;
    qint64 peak_rss = 0;
    qint64 next_sample = 0;
    const HttpResponse response =
        client.readResponse(30000, {.sink = [&](std::string_view data) {
                              read += static_cast<qint64>(data.size());
                              QThread::usleep(data.size() / 8);
                              if (read >= next_sample) {
                                next_sample += 1024 * 1024;
                                peak_rss = std::max(peak_rss, procStatusKb(node_.pid(), "VmRSS"));
                              }
                              return read < 24 * 1024 * 1024;
                            }});
    QCOMPARE(response.status, 200);
    QVERIFY(read >= 24 * 1024 * 1024);
    qInfo("node peak VmRSS while reading slowly: %lld KiB", peak_rss);
    QVERIFY2(peak_rss > 0 && peak_rss < 100 * 1024,
             qPrintable(QStringLiteral("node VmRSS %1 KiB").arg(peak_rss)));
    client.close();
    // The node drops the rest and keeps serving.
    QCOMPARE(RawHttpClient::exchange(port_, buildRequest("GET", "/size/3")).body, QByteArray("abc"));
  }
};

QTEST_GUILESS_MAIN(StreamingTest)
#include "streaming_test.moc"
