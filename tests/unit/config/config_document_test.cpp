// config_document: one section rewritten, every other byte kept; the JSON view; field paths.

#include "engine/config/config_document.h"

#include <QtTest>

#include "engine/config/config_loader.h"

using namespace sluice::config;
using nlohmann::json;

namespace {

// Routes use both policies; comments sit above, inside and below the sections.
constexpr const char* kHead = R"(# Sluice test config
workers: 2   # two is plenty
listeners:
  - name: plain
    address: 127.0.0.1:0
upstreams:
  - name: api
    servers: [127.0.0.1:9001]
routes:
  - name: api
    match: { path_prefix: /v1/ }
    upstream: api
    cache: short
    rate_limits: [per_ip]

# Limits per client
)";
constexpr const char* kRateLimits = R"(rate_limits:
  # the main one
  - name: per_ip
    algorithm: token_bucket
    key: client_ip
    limit: 100
    window: 1m
    burst: 20
  - name: per_route   # shared
    key: route
    limit: '5'
)";
constexpr const char* kTail = R"(
# ---- caching ----

# short-lived pages
cache_policies:
  - name: short
    default_ttl: 60s
    max_ttl: 1h
log:
  level: info
)";

std::string fullText() {
  return std::string(kHead) + kRateLimits + kTail;
}

QString q(const std::string& text) {
  return QString::fromStdString(text);
}

}  // namespace

class ConfigDocumentTest : public QObject {
  Q_OBJECT

 private slots:
  void replaceKeepsEverythingOutsideTheSection() {
    const std::string text = fullText();
    std::string error;
    json policy = {{"name", "per_ip"},
                   {"algorithm", "sliding_window"},
                   {"key", "client_ip"},
                   {"limit", 50},
                   {"window", "10s"}};
    std::optional<EditedText> edited = setEntry(text, Section::RateLimits, policy, error);
    QVERIFY2(edited, error.c_str());
    QVERIFY(!edited->created);
    const std::string expected = std::string(kHead) +
                                 "rate_limits:\n"
                                 "  - name: per_ip\n"
                                 "    algorithm: sliding_window\n"
                                 "    key: client_ip\n"
                                 "    limit: 50\n"
                                 "    window: 10s\n"
                                 "  - name: per_route\n"
                                 "    key: route\n"
                                 "    limit: '5'\n" +
                                 kTail;
    QCOMPARE(q(edited->yaml), q(expected));
    QVERIFY(loadConfigText(edited->yaml, "t.yaml").ok());
  }

  void appendAddsAtTheEndOfTheSection() {
    std::string error;
    json policy = {{"limit", 3}, {"name", "per_key"}, {"key", "header:X-Key"}, {"window", "1s"}};
    std::optional<EditedText> edited = setEntry(fullText(), Section::RateLimits, policy, error);
    QVERIFY2(edited, error.c_str());
    QVERIFY(edited->created);
    // Keys in the reference order (name, algorithm, key, limit, window, ...), not JSON's sorted one.
    QVERIFY2(edited->yaml.find("    limit: '5'\n  - name: per_key\n    key: header:X-Key\n    limit: 3\n"
                               "    window: 1s\n\n# ---- caching") != std::string::npos,
             edited->yaml.c_str());
    QVERIFY(edited->yaml.starts_with(kHead));
    QVERIFY(edited->yaml.ends_with(kTail));
  }

  void replacedEntryKeepsItsKeyOrder() {
    const std::string text = "listeners: []\nrate_limits:\n  - name: a\n    window: 1s\n    limit: 5\n";
    std::string error;
    json policy = {{"name", "a"}, {"limit", 6}, {"window", "2s"}, {"burst", 1}};
    std::optional<EditedText> edited = setEntry(text, Section::RateLimits, policy, error);
    QVERIFY(edited);
    QCOMPARE(q(edited->yaml), q("listeners: []\nrate_limits:\n  - name: a\n    window: 2s\n    limit: 6\n"
                                "    burst: 1\n"));
  }

  void absentSectionIsAppendedAtTheEnd() {
    const std::string text = "listeners:\n  - name: plain\n    address: 127.0.0.1:0  # no newline at the end";
    std::string error;
    std::optional<EditedText> edited =
        setEntry(text, Section::CachePolicies, json{{"name", "short"}, {"default_ttl", "5s"}}, error);
    QVERIFY2(edited, error.c_str());
    QVERIFY(edited->created);
    QCOMPARE(q(edited->yaml), q(text + "\ncache_policies:\n  - name: short\n    default_ttl: 5s\n"));
  }

  void deleteRemovesOneEntry() {
    std::optional<std::string> edited = deleteEntry(fullText(), Section::RateLimits, "per_route");
    QVERIFY(edited);
    const std::string expected = std::string(kHead) +
                                 "rate_limits:\n"
                                 "  - name: per_ip\n"
                                 "    algorithm: token_bucket\n"
                                 "    key: client_ip\n"
                                 "    limit: 100\n"
                                 "    window: 1m\n"
                                 "    burst: 20\n" +
                                 kTail;
    QCOMPARE(q(*edited), q(expected));
  }

  void deleteOfTheLastEntryLeavesAnEmptyList() {
    std::optional<std::string> edited = deleteEntry(fullText(), Section::CachePolicies, "short");
    QVERIFY(edited);
    QVERIFY2(edited->ends_with("# short-lived pages\ncache_policies: []\nlog:\n  level: info\n"),
             edited->c_str());
    QVERIFY(edited->starts_with(std::string(kHead) + kRateLimits));
  }

  void deleteOfAnUnknownEntryIsNothing() {
    QVERIFY(!deleteEntry(fullText(), Section::RateLimits, "nope"));
    QVERIFY(!deleteEntry("listeners: []\n", Section::RateLimits, "nope"));
  }

  void stringsThatReadAsOtherTypesAreQuoted() {
    std::string error;
    json policy = {{"name", "p"},
                   {"t", "true"},
                   {"num_text", "123"},
                   {"e", ""},
                   {"f", "1.5"},
                   {"word", "yes"},
                   {"z", "null"},
                   {"h", "0x1F"},
                   {"s", "plain text"},
                   {"num", 7},
                   {"neg", -2},
                   {"flt", 2.5},
                   {"b", false},
                   {"colon", "a: b"},
                   {"list", {"a", "10", true}},
                   {"nested", {{"x", "1"}}}};
    std::optional<EditedText> edited = setEntry("listeners: []\n", Section::RateLimits, policy, error);
    QVERIFY2(edited, error.c_str());
    for (const char* line :
         {"    t: 'true'\n", "    num_text: '123'\n", "    e: ''\n", "    f: '1.5'\n", "    word: 'yes'\n",
          "    z: 'null'\n", "    h: '0x1F'\n", "    s: plain text\n", "    num: 7\n", "    neg: -2\n",
          "    flt: 2.5\n", "    b: false\n", "    list: [a, '10', true]\n", "    nested:\n      x: '1'\n"}) {
      QVERIFY2(edited->yaml.find(line) != std::string::npos,
               qPrintable(q(edited->yaml) + "\nmissing: " + line));
    }
    // Read back, every value has the type it was sent with.
    const std::vector<json> entries = sectionEntries(edited->yaml, Section::RateLimits);
    QCOMPARE(entries.size(), size_t(1));
    QCOMPARE(q(entries[0].dump()), q(policy.dump()));
  }

  void untouchedEntriesKeepTheirScalars() {
    const std::string text =
        "rate_limits:\n  - {name: a, limit: '5', key: \"route\", mode: dry_run}\n"
        "  - name: b\n    limit: 5\n";
    std::string error;
    std::optional<EditedText> edited =
        setEntry(text, Section::RateLimits, json{{"name", "b"}, {"limit", 6}}, error);
    QVERIFY(edited);
    QCOMPARE(q(edited->yaml),
             q("rate_limits:\n  - name: a\n    limit: '5'\n    key: 'route'\n    mode: dry_run\n"
               "  - name: b\n    limit: 6\n"));
  }

  void flowStyleSectionsAreRewrittenInBlockStyle() {
    const std::string text =
        "rate_limits: [{name: a, limit: 5},\n  {name: b, limit: 6}\n]\n# after\nlog: {level: info}\n";
    std::string error;
    std::optional<EditedText> edited =
        setEntry(text, Section::RateLimits, json{{"name", "a"}, {"limit", 7}}, error);
    QVERIFY2(edited, error.c_str());
    QCOMPARE(q(edited->yaml), q("rate_limits:\n  - name: a\n    limit: 7\n  - name: b\n    limit: 6\n"
                                "# after\nlog: {level: info}\n"));
    std::optional<std::string> one_line =
        deleteEntry("rate_limits: [{name: a}]\nlog: {}\n", Section::RateLimits, "a");
    QVERIFY(one_line);
    QCOMPARE(q(*one_line), q("rate_limits: []\nlog: {}\n"));
  }

  void commentsDirectlyAboveTheNextKeyStayWithIt() {
    const std::string text =
        "rate_limits:\n  - name: a\n  # inside, dropped? no: after the last entry\n"
        "# about log\nlog: {}\n";
    std::optional<std::string> edited = deleteEntry(text, Section::RateLimits, "a");
    QVERIFY(edited);
    QCOMPARE(q(*edited),
             q("rate_limits: []\n  # inside, dropped? no: after the last entry\n# about log\nlog: {}\n"));
    // A comment between entries is inside the section, and goes with the rewrite.
    const std::string between = "rate_limits:\n  - name: a\n  # between\n  - name: b\nlog: {}\n";
    std::optional<std::string> rewritten = deleteEntry(between, Section::RateLimits, "b");
    QVERIFY(rewritten);
    QCOMPARE(q(*rewritten), q("rate_limits:\n  - name: a\nlog: {}\n"));
  }

  void badEntriesAreRefused() {
    std::string error;
    QVERIFY(!setEntry("listeners: []\n", Section::RateLimits, json::array(), error));
    QVERIFY(error.find("object") != std::string::npos);
    QVERIFY(!setEntry("listeners: []\n", Section::RateLimits, json{{"name", 5}}, error));
    QVERIFY(error.find("name") != std::string::npos);
    QVERIFY(!setEntry("listeners: []\n", Section::RateLimits, json{{"limit", 5}}, error));
    QVERIFY(!setEntry("{listeners: [], rate_limits: []}\n", Section::RateLimits, json{{"name", "a"}}, error));
    QVERIFY2(error.find("flow style") != std::string::npos, error.c_str());
    QVERIFY(!setEntry("rate_limits: 5\n", Section::RateLimits, json{{"name", "a"}}, error));
    QVERIFY2(error.find("not a list") != std::string::npos, error.c_str());
    // yaml-cpp reads a last line without a colon as a key; appending after it would change that
    // key, so the rewrite is refused rather than written.
    QVERIFY(!setEntry("listeners: [1]\nr", Section::RateLimits, json{{"name", "a"}}, error));
    QVERIFY2(error.find("cannot be rewritten safely") != std::string::npos, error.c_str());
  }

  void jsonViewTypes() {
    std::string error;
    std::optional<json> doc = documentToJson(
        "a: 1\nb: -7\nc: 1.5\nd: true\ne: false\nf: ~\ng:\nh: '12'\ni: \"true\"\nj: 1m\nk: 8MiB\n"
        "l: [1, x, null]\nm: {n: 2}\no: True\np: 99999999999999999999\nq: !!str 5\n",
        error);
    QVERIFY2(doc, error.c_str());
    const json expected = {{"a", 1},          {"b", -7},     {"c", 1.5},
                           {"d", true},       {"e", false},  {"f", nullptr},
                           {"g", nullptr},    {"h", "12"},   {"i", "true"},
                           {"j", "1m"},       {"k", "8MiB"}, {"l", {1, "x", nullptr}},
                           {"m", {{"n", 2}}}, {"o", "True"}, {"p", "99999999999999999999"},
                           {"q", "5"}};
    QCOMPARE(q(doc->dump()), q(expected.dump()));
    QVERIFY((*doc)["a"].is_number_integer());
    QVERIFY((*doc)["c"].is_number_float());
    QVERIFY(!documentToJson("a: [1, 2\n", error));
    QVERIFY(!error.empty());
  }

  void sectionEntriesOfTheText() {
    const std::vector<json> limits = sectionEntries(fullText(), Section::RateLimits);
    QCOMPARE(limits.size(), size_t(2));
    QCOMPARE(q(limits[0]["window"].get<std::string>()), QStringLiteral("1m"));
    QCOMPARE(limits[0]["limit"].get<int>(), 100);
    QVERIFY(limits[1]["limit"].is_string());
    QCOMPARE(sectionEntries(fullText(), Section::CachePolicies).size(), size_t(1));
    QVERIFY(sectionEntries("listeners: []\n", Section::CachePolicies).empty());
  }

  void fieldPaths() {
    const std::string text = fullText();
    // Lines (1-based) of kHead + kRateLimits + kTail.
    QCOMPARE(q(fieldPathAtLine(text, 1)), QString());  // a comment above everything
    QCOMPARE(q(fieldPathAtLine(text, 2)), QStringLiteral("workers"));
    QCOMPARE(q(fieldPathAtLine(text, 5)), QStringLiteral("listeners[0].address"));
    QCOMPARE(q(fieldPathAtLine(text, 8)), QStringLiteral("upstreams[0].servers"));
    QCOMPARE(q(fieldPathAtLine(text, 10)), QStringLiteral("routes[0]"));
    QCOMPARE(q(fieldPathAtLine(text, 11)), QStringLiteral("routes[0].match"));
    QCOMPARE(q(fieldPathAtLine(text, 13)), QStringLiteral("routes[0].cache"));
    QCOMPARE(q(fieldPathAtLine(text, 14)), QStringLiteral("routes[0].rate_limits"));
    QCOMPARE(q(fieldPathAtLine(text, 17)), QStringLiteral("rate_limits"));
    QCOMPARE(q(fieldPathAtLine(text, 18)), QStringLiteral("rate_limits"));  // comment before the first entry
    QCOMPARE(q(fieldPathAtLine(text, 19)), QStringLiteral("rate_limits[0]"));
    QCOMPARE(q(fieldPathAtLine(text, 23)), QStringLiteral("rate_limits[0].window"));
    QCOMPARE(q(fieldPathAtLine(text, 27)), QStringLiteral("rate_limits[1].limit"));
    QCOMPARE(q(fieldPathAtLine(text, 29)), QString());  // between two sections
    QCOMPARE(q(fieldPathAtLine(text, 33)), QStringLiteral("cache_policies[0]"));
    QCOMPARE(q(fieldPathAtLine(text, 34)), QStringLiteral("cache_policies[0].default_ttl"));
    QCOMPARE(q(fieldPathAtLine(text, 36)), QStringLiteral("log"));
    QCOMPARE(q(fieldPathAtLine(text, 37)), QStringLiteral("log.level"));
    QCOMPARE(q(fieldPathAtLine(text, 99)), QString());
    // Block lists name their items.
    QCOMPARE(q(fieldPathAtLine("routes:\n  - name: a\n    rate_limits:\n      - x\n      - y\n", 5)),
             QStringLiteral("routes[0].rate_limits[1]"));
    QCOMPARE(q(fieldPathAtLine("a: [1, 2\n", 1)), QString());  // not YAML
  }

  void loaderErrorLinesMapToFields() {
    std::string error;
    std::optional<EditedText> edited = setEntry(
        fullText(), Section::RateLimits, json{{"name", "per_ip"}, {"limit", 5}, {"window", "soon"}}, error);
    QVERIFY(edited);
    const LoadResult result = loadConfigText(edited->yaml, "t.yaml");
    QVERIFY(!result.ok());
    QCOMPARE(q(fieldPathAtLine(edited->yaml, result.errors.front().line)),
             QStringLiteral("rate_limits[0].window"));
  }
};

QTEST_GUILESS_MAIN(ConfigDocumentTest)
#include "config_document_test.moc"
