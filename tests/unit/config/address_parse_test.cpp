// host:port parsing (engine/config/address_parse.h).

#include "engine/config/address_parse.h"

#include <QtTest>

using sluice::config::Address;
using sluice::config::parseAddress;

class AddressParseTest : public QObject {
  Q_OBJECT

 private slots:
  void parsesBindAddresses() {
    std::optional<Address> v4 = parseAddress("127.0.0.1:8080", true);
    QVERIFY(v4.has_value());
    QCOMPARE(v4->host, std::string("127.0.0.1"));
    QCOMPARE(v4->port, uint16_t(8080));
    QCOMPARE(v4->text, std::string("127.0.0.1:8080"));

    std::optional<Address> v6 = parseAddress("[::1]:443", true);
    QVERIFY(v6.has_value());
    QCOMPARE(v6->host, std::string("::1"));
    QCOMPARE(v6->port, uint16_t(443));

    std::optional<Address> any = parseAddress("0.0.0.0:0", true);  // port 0: the OS picks
    QVERIFY(any.has_value());
    QCOMPARE(any->port, uint16_t(0));
    QCOMPARE(parseAddress("[::]:65535", true)->port, uint16_t(65535));
  }

  void parsesConnectAddresses() {
    std::optional<Address> name = parseAddress("backend-1.internal:9000", false);
    QVERIFY(name.has_value());
    QCOMPARE(name->host, std::string("backend-1.internal"));
    QCOMPARE(name->port, uint16_t(9000));
    QCOMPARE(parseAddress("localhost:1", false)->host, std::string("localhost"));
    QCOMPARE(parseAddress("10.0.0.1:80", false)->host, std::string("10.0.0.1"));
    QCOMPARE(parseAddress("[2001:db8::1]:80", false)->host, std::string("2001:db8::1"));
  }

  void rejects_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("bind");
    QTest::addColumn<QString>("reason");
    QTest::newRow("no port") << "127.0.0.1" << true << "expected HOST:PORT";
    QTest::newRow("empty port") << "127.0.0.1:" << true << "port must be 0..65535";
    QTest::newRow("port too big") << "127.0.0.1:65536" << true << "port must be 0..65535";
    QTest::newRow("port junk") << "127.0.0.1:80x" << true << "port must be 0..65535";
    QTest::newRow("negative port") << "127.0.0.1:-1" << true << "port must be 0..65535";
    QTest::newRow("port 0 to connect") << "10.0.0.1:0" << false << "port must be 1..65535";
    QTest::newRow("name to bind") << "localhost:80" << true
                                  << "host must be a numeric IP address, got 'localhost'";
    QTest::newRow("bad ipv4 to bind")
        << "10.0.0.300:80" << true << "host must be a numeric IP address, got '10.0.0.300'";
    QTest::newRow("bad ipv4 to connect")
        << "10.0.0.300:80" << false << "'10.0.0.300' is not a valid host name or IP address";
    QTest::newRow("bad name") << "bad_host:80" << false
                              << "'bad_host' is not a valid host name or IP address";
    QTest::newRow("empty label") << "a..b:80" << false << "'a..b' is not a valid host name or IP address";
    QTest::newRow("no host") << ":80" << true << "missing host (use 0.0.0.0 for all interfaces)";
    QTest::newRow("bare ipv6") << "::1:80" << true << "write an IPv6 address in brackets, e.g. [::1]:8080";
    QTest::newRow("unclosed bracket") << "[::1:80" << true << "missing ']' after the IPv6 address";
    QTest::newRow("bad ipv6") << "[::g]:80" << true << "'::g' is not an IPv6 address";
    QTest::newRow("v4 in brackets") << "[127.0.0.1]:80" << true << "'127.0.0.1' is not an IPv6 address";
    QTest::newRow("no port after bracket") << "[::1]" << true << "expected :PORT after ']'";
    QTest::newRow("empty") << "" << true << "expected HOST:PORT";
  }
  void rejects() {
    QFETCH(QString, text);
    QFETCH(bool, bind);
    QFETCH(QString, reason);
    std::string why;
    QVERIFY(!parseAddress(text.toStdString(), bind, &why).has_value());
    QCOMPARE(QString::fromStdString(why), reason);
    QVERIFY(!parseAddress(text.toStdString(), bind).has_value());
  }
};

QTEST_APPLESS_MAIN(AddressParseTest)
#include "address_parse_test.moc"
