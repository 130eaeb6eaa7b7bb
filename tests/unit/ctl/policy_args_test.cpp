// key=value words and policy files to the JSON policy of rate_limits.set / cache_policies.set
// (engine/ctl/policy_args.h).

#include "engine/ctl/policy_args.h"

#include <QtTest>

using nlohmann::json;
using sluice::ctl::argumentValue;
using sluice::ctl::parsePolicyArgs;
using sluice::ctl::parsePolicyText;
using sluice::ctl::scalarValue;

class PolicyArgsTest : public QObject {
  Q_OBJECT

 private slots:
  void numbersStayNumbers() {
    QCOMPARE(scalarValue("100"), json(100));
    QCOMPARE(scalarValue("-3"), json(-3));
    QCOMPARE(scalarValue("0"), json(0));
    QVERIFY(scalarValue("100").is_number_integer());
    QCOMPARE(scalarValue("1.5"), json(1.5));
    QVERIFY(scalarValue("1.5").is_number_float());
    QCOMPARE(scalarValue("2e3"), json(2000.0));
  }

  void durationsAndSizesStayStrings() {
    for (const char* s :
         {"1m", "30s", "1h", "8MiB", "1.5s", "header:x-api-key", "client_ip", "1.2.3", "-", "1e"}) {
      QCOMPARE(scalarValue(s), json(s));
    }
    QCOMPARE(scalarValue(""), json(""));
  }

  void booleans() {
    QCOMPARE(scalarValue("true"), json(true));
    QCOMPARE(scalarValue("false"), json(false));
    QCOMPARE(scalarValue("True"), json("True"));  // the config's YAML reads only lower case as a bool
  }

  void hugeIntegersAreLeftToTheNode() {
    QCOMPARE(scalarValue("99999999999999999999999"), json("99999999999999999999999"));
  }

  void listsWithCommas() {
    QCOMPARE(argumentValue("a,b"), json::array({"a", "b"}));
    QCOMPARE(argumentValue("1,2,x"), json::array({1, 2, "x"}));
    QCOMPARE(argumentValue("[a, b]"), json::array({"a", "b"}));
    QCOMPARE(argumentValue("[a]"), json::array({"a"}));
    QCOMPARE(argumentValue("[]"), json::array());
    QCOMPARE(argumentValue("a,"), json::array({"a"}));
  }

  void quotesKeepOneString() {
    QCOMPARE(argumentValue("'100'"), json("100"));
    QCOMPARE(argumentValue("\"a,b\""), json("a,b"));
    QCOMPARE(argumentValue("'true'"), json("true"));
    QCOMPARE(argumentValue("x,'2'"), json::array({"x", "2"}));
  }

  void wordsToAPolicy() {
    std::string error;
    auto p =
        parsePolicyArgs({"algorithm=token_bucket", "limit=100", "window=1m", "burst=20", "headers=false"},
                        json{{"name", "per_ip"}}, error);
    QVERIFY2(p.has_value(), error.c_str());
    const json expected = {{"name", "per_ip"}, {"algorithm", "token_bucket"},
                           {"limit", 100},     {"window", "1m"},
                           {"burst", 20},      {"headers", false}};
    QCOMPARE(*p, expected);
  }

  void laterWordsWinAndValuesMayHoldEquals() {
    std::string error;
    auto p = parsePolicyArgs({"limit=1", "limit=2", "key=header:x=y"}, json::object(), error);
    QVERIFY(p.has_value());
    QCOMPARE((*p)["limit"], json(2));
    QCOMPARE((*p)["key"], json("header:x=y"));
  }

  void badWords() {
    std::string error;
    QVERIFY(!parsePolicyArgs({"limit"}, json::object(), error).has_value());
    QVERIFY(error.find("key=value") != std::string::npos);
    QVERIFY(!parsePolicyArgs({"=5"}, json::object(), error).has_value());
  }

  void yamlFile() {
    std::string error;
    auto p = parsePolicyText(
        "name: per_ip\nalgorithm: sliding_window\nlimit: 100\nwindow: 1m\nmode: \"dry_run\"\n"
        "quoted_number: '5'\nheaders: true\n",
        error);
    QVERIFY2(p.has_value(), error.c_str());
    QCOMPARE((*p)["limit"], json(100));
    QCOMPARE((*p)["window"], json("1m"));
    QCOMPARE((*p)["quoted_number"], json("5"));
    QCOMPARE((*p)["headers"], json(true));
    QCOMPARE((*p)["mode"], json("dry_run"));
  }

  void yamlListItemAsPasted() {
    std::string error;
    auto p = parsePolicyText("- name: short\n  default_ttl: 60s\n  max_ttl: 1h\n", error);
    QVERIFY2(p.has_value(), error.c_str());
    QCOMPARE(*p, (json{{"name", "short"}, {"default_ttl", "60s"}, {"max_ttl", "1h"}}));
  }

  void jsonFile() {
    std::string error;
    auto p = parsePolicyText(R"({"name": "per_ip", "limit": 100, "window": "1m"})", error);
    QVERIFY(p.has_value());
    QCOMPARE((*p)["limit"], json(100));
  }

  void badFiles() {
    std::string error;
    QVERIFY(!parsePolicyText("{not json", error).has_value());
    QVERIFY(!parsePolicyText("key: [unclosed", error).has_value());
    QVERIFY(!parsePolicyText("- a: 1\n- b: 2\n", error).has_value());
    QVERIFY(!parsePolicyText("just a string", error).has_value());
    QVERIFY(!parsePolicyText("", error).has_value());
  }
};

QTEST_APPLESS_MAIN(PolicyArgsTest)
#include "policy_args_test.moc"
