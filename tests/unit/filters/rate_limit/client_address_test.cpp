// Client identity for client_ip keys (engine/filters/rate_limit/client_address.h and
// engine/core/ip_address.h): prefixes, CIDRs, X-Forwarded-For behind trusted proxies.

#include "engine/filters/rate_limit/client_address.h"

#include <QtTest>
#include <vector>

using namespace sluice;
using core::Cidr;
using core::IpAddress;
using rate_limit::clientAddress;

namespace {

IpAddress ip(const char* text) {
  return core::parseIp(text).value();
}

std::vector<Cidr> cidrs(std::initializer_list<const char*> texts) {
  std::vector<Cidr> out;
  for (const char* t : texts) {
    out.push_back(core::parseCidr(t).value());
  }
  return out;
}

http::HeaderList xff(std::initializer_list<std::string_view> values) {
  http::HeaderList headers{{"Host", "x"}};
  for (std::string_view v : values) {
    headers.push_back({"X-Forwarded-For", v});
  }
  return headers;
}

}  // namespace

class ClientAddressTest : public QObject {
  Q_OBJECT

 private slots:
  void parsesAndFormats() {
    QCOMPARE(ip("192.0.2.1").family, uint8_t(4));
    QCOMPARE(ip("2001:db8::1").family, uint8_t(6));
    QCOMPARE(ip("::ffff:192.0.2.1"), ip("192.0.2.1"));  // mapped: one client, one identity
    QCOMPARE(ip("2001:db8::1").str(), std::string("2001:db8::1"));
    for (const char* bad : {"", "1.2.3", "1.2.3.4:80", "[::1]", "example.com", "1.2.3.4 ", "::1%lo"}) {
      QVERIFY2(!core::parseIp(bad), bad);
    }
  }

  void prefixesGroupAddresses() {
    QCOMPARE(ip("2001:db8:1:2:aaaa::1").masked(64), ip("2001:db8:1:2::"));
    QCOMPARE(ip("2001:db8:1:2:aaaa::1").masked(48), ip("2001:db8:1::"));
    QCOMPARE(ip("2001:db8:1:2:aaaa::1").masked(128), ip("2001:db8:1:2:aaaa::1"));
    QCOMPARE(ip("192.0.2.77").masked(24), ip("192.0.2.0"));
    QCOMPARE(ip("192.0.2.77").masked(32), ip("192.0.2.77"));
    QCOMPARE(ip("192.0.2.77").masked(20), ip("192.0.0.0"));
  }

  void cidrRanges() {
    const Cidr net = core::parseCidr("10.0.0.0/8").value();
    QVERIFY(net.contains(ip("10.1.2.3")));
    QVERIFY(!net.contains(ip("11.0.0.1")));
    QVERIFY(!net.contains(ip("::ffff:11.0.0.1")));
    QVERIFY(core::parseCidr("::1").value().contains(ip("::1")));
    QVERIFY(core::parseCidr("2001:db8::/32").value().contains(ip("2001:db8:ffff::1")));
    std::string why;
    QVERIFY(!core::parseCidr("10.0.0.1/8", &why));
    QCOMPARE(why, std::string("host bits are set below the prefix (did you mean 10.0.0.0/8?)"));
    QVERIFY(!core::parseCidr("10.0.0.0/33", &why));
    QCOMPARE(why, std::string("the prefix length must be 0..32"));
    QVERIFY(!core::parseCidr("10.0.0.0/", &why));
    QVERIFY(!core::parseCidr("nope/8", &why));
    QCOMPARE(why, std::string("not a numeric IPv4 or IPv6 address"));
  }

  void untrustedPeerIsTheClient() {
    const auto trusted = cidrs({"10.0.0.0/8"});
    QCOMPARE(clientAddress(ip("192.0.2.9"), xff({"203.0.113.5"}), trusted), ip("192.0.2.9"));
    QCOMPARE(clientAddress(ip("192.0.2.9"), xff({"203.0.113.5"}), {}), ip("192.0.2.9"));
  }

  void trustedPeerWalksFromTheRight() {
    const auto trusted = cidrs({"10.0.0.0/8", "127.0.0.1/32"});
    // The client may forge the left part; only the rightmost untrusted hop is believed.
    QCOMPARE(clientAddress(ip("127.0.0.1"), xff({"6.6.6.6, 203.0.113.5, 10.1.1.1"}), trusted),
             ip("203.0.113.5"));
    QCOMPARE(clientAddress(ip("127.0.0.1"), xff({"203.0.113.5"}), trusted), ip("203.0.113.5"));
    // Two fields are one list in order.
    QCOMPARE(clientAddress(ip("10.0.0.1"), xff({"203.0.113.5", "10.2.2.2"}), trusted), ip("203.0.113.5"));
    // Every hop trusted: the leftmost one.
    QCOMPARE(clientAddress(ip("10.0.0.1"), xff({"10.9.9.9, 10.2.2.2"}), trusted), ip("10.9.9.9"));
    // No field: the proxy itself.
    QCOMPARE(clientAddress(ip("10.0.0.1"), xff({}), trusted), ip("10.0.0.1"));
    // IPv6 hops, spaces and empty elements.
    QCOMPARE(clientAddress(ip("10.0.0.1"), xff({" 2001:db8::7 ,, 10.3.3.3 "}), trusted), ip("2001:db8::7"));
  }

  void garbageEndsTheWalkAtTheLastTrustedHop() {
    const auto trusted = cidrs({"10.0.0.0/8"});
    QCOMPARE(clientAddress(ip("10.0.0.1"), xff({"203.0.113.5, unknown, 10.4.4.4"}), trusted), ip("10.4.4.4"));
    QCOMPARE(clientAddress(ip("10.0.0.1"), xff({"1.2.3.4:5678"}), trusted), ip("10.0.0.1"));
  }
};

QTEST_GUILESS_MAIN(ClientAddressTest)
#include "client_address_test.moc"
