// RouteTable (engine/server/route_table.h): first match wins; host and path matching.

#include "engine/server/route_table.h"

#include <QtTest>
#include <string>

using sluice::config::Config;
using sluice::config::RouteConfig;
using sluice::server::RouteTable;

namespace {

RouteConfig route(std::string name, std::string host, std::string prefix, std::string exact = "") {
  RouteConfig r;
  r.name = std::move(name);
  r.match.host = std::move(host);
  r.match.path_prefix = std::move(prefix);
  r.match.path_exact = std::move(exact);
  return r;
}

}  // namespace

class RouteTableTest : public QObject {
  Q_OBJECT

 private slots:
  void firstMatchWins() {
    Config config;
    config.routes.push_back(route("health", "", "", "/healthz"));
    config.routes.push_back(route("api-v2", "api.example.com", "/v2/"));
    config.routes.push_back(route("api", "api.example.com", "/"));
    config.routes.push_back(route("wild", "*.example.com", "/"));
    config.routes.push_back(route("any", "", ""));
    const RouteTable table(config);
    QCOMPARE(table.match("api.example.com", "/healthz"), 0);
    QCOMPARE(table.match("api.example.com", "/v2/users"), 1);
    QCOMPARE(table.match("api.example.com", "/v1/users"), 2);
    QCOMPARE(table.match("www.example.com", "/v2/users"), 3);
    QCOMPARE(table.match("other.org", "/v2/users"), 4);
    QCOMPARE(table.match("", "/"), 4);
  }

  void noMatch() {
    Config config;
    config.routes.push_back(route("api", "api.example.com", "/api/"));
    const RouteTable table(config);
    QCOMPARE(table.match("www.example.com", "/api/x"), -1);
    QCOMPARE(table.match("api.example.com", "/other"), -1);
    QCOMPARE(table.match("api.example.com", "/api"), -1);
    Config empty;
    QCOMPARE(RouteTable(empty).match("a", "/"), -1);
  }

  void hostExact() {
    Config config;
    config.routes.push_back(route("api", "api.example.com", ""));
    config.routes.push_back(route("v6", "[::1]", ""));
    config.routes.push_back(route("v4", "127.0.0.1", ""));
    const RouteTable table(config);
    QCOMPARE(table.match("api.example.com", "/"), 0);
    QCOMPARE(table.match("API.Example.COM", "/"), 0);
    QCOMPARE(table.match("api.example.com:8443", "/"), 0);
    QCOMPARE(table.match("api.example.co", "/"), -1);
    QCOMPARE(table.match("xapi.example.com", "/"), -1);
    QCOMPARE(table.match("[::1]:80", "/"), 1);
    QCOMPARE(table.match("[::1]", "/"), 1);
    QCOMPARE(table.match("[::2]:80", "/"), -1);
    QCOMPARE(table.match("127.0.0.1:8080", "/"), 2);
  }

  void hostWildcard() {
    QVERIFY(RouteTable::hostMatches("*.example.com", "a.example.com"));
    QVERIFY(RouteTable::hostMatches("*.example.com", "a.b.example.com"));
    QVERIFY(RouteTable::hostMatches("*.example.com", "A.EXAMPLE.com"));
    QVERIFY(!RouteTable::hostMatches("*.example.com", "example.com"));
    QVERIFY(!RouteTable::hostMatches("*.example.com", ".example.com"));
    QVERIFY(!RouteTable::hostMatches("*.example.com", "aexample.com"));
    QVERIFY(!RouteTable::hostMatches("*.example.com", "a.example.org"));
    QVERIFY(!RouteTable::hostMatches("*.example.com", "a.example.com.evil"));
    QVERIFY(RouteTable::hostMatches("", "anything"));
    QVERIFY(RouteTable::hostMatches("", ""));

    Config config;
    config.routes.push_back(route("wild", "*.example.com", ""));
    const RouteTable table(config);
    QCOMPARE(table.match("a.example.com:80", "/"), 0);
    QCOMPARE(table.match("a.b.example.com", "/"), 0);
    QCOMPARE(table.match("example.com", "/"), -1);
    QCOMPARE(table.match("example.com:80", "/"), -1);
  }

  void stripPort() {
    QCOMPARE(RouteTable::stripPort("a.example.com:8080"), std::string_view("a.example.com"));
    QCOMPARE(RouteTable::stripPort("a.example.com"), std::string_view("a.example.com"));
    QCOMPARE(RouteTable::stripPort("[::1]:80"), std::string_view("[::1]"));
    QCOMPARE(RouteTable::stripPort("[2001:db8::1]"), std::string_view("[2001:db8::1]"));
    QCOMPARE(RouteTable::stripPort("10.0.0.1:80"), std::string_view("10.0.0.1"));
    QCOMPARE(RouteTable::stripPort(""), std::string_view(""));
  }

  void pathPrefixAndExact() {
    Config config;
    config.routes.push_back(route("exact", "", "", "/login"));
    config.routes.push_back(route("static", "", "/static/"));
    const RouteTable table(config);
    QCOMPARE(table.match("h", "/login"), 0);
    QCOMPARE(table.match("h", "/login/"), -1);
    QCOMPARE(table.match("h", "/Login"), -1);
    QCOMPARE(table.match("h", "/log"), -1);
    QCOMPARE(table.match("h", "/static/"), 1);
    QCOMPARE(table.match("h", "/static/css/a.css"), 1);
    QCOMPARE(table.match("h", "/static"), -1);
    QCOMPARE(table.match("h", "/STATIC/a"), -1);
    QCOMPARE(table.match("h", ""), -1);
  }

  void hostAndPathMustBothMatch() {
    Config config;
    config.routes.push_back(route("a", "a.test", "/x"));
    config.routes.push_back(route("b", "b.test", ""));
    const RouteTable table(config);
    QCOMPARE(table.match("a.test", "/x/1"), 0);
    QCOMPARE(table.match("a.test", "/y"), -1);
    QCOMPARE(table.match("b.test", "/x/1"), 1);
  }
};

QTEST_APPLESS_MAIN(RouteTableTest)
#include "route_table_test.moc"
