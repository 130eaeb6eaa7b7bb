// "Did you mean" suggestions for misspelt keys (engine/config/suggest.h).

#include "engine/config/suggest.h"

#include <QtTest>
#include <array>

using sluice::config::editDistance;
using sluice::config::nearest;

namespace {
constexpr std::array<std::string_view, 5> kKeys{"workers", "upstreams", "routes", "log", "limits"};
}

class SuggestTest : public QObject {
  Q_OBJECT

 private slots:
  void measuresDistance() {
    QCOMPARE(editDistance("", ""), size_t(0));
    QCOMPARE(editDistance("abc", ""), size_t(3));
    QCOMPARE(editDistance("upstreem", "upstreams"), size_t(2));
    QCOMPARE(editDistance("wokrers", "workers"), size_t(1));  // a swap counts once
    QCOMPARE(editDistance("Workers", "workers"), size_t(0));
    QCOMPARE(editDistance("kitten", "sitting"), size_t(3));
  }

  void suggestsNearest() {
    QCOMPARE(nearest("upstreem", kKeys), std::optional<std::string>("upstreams"));
    QCOMPARE(nearest("upstream", kKeys), std::optional<std::string>("upstreams"));
    QCOMPARE(nearest("wokrers", kKeys), std::optional<std::string>("workers"));
    QCOMPARE(nearest("route", kKeys), std::optional<std::string>("routes"));
    QCOMPARE(nearest("lgo", kKeys), std::optional<std::string>("log"));
  }

  void staysQuietWhenFar() {
    QCOMPARE(nearest("foo", kKeys),
             std::optional<std::string>());  // 2 edits from 'log': too many for 3 letters
    QCOMPARE(nearest("listeners", kKeys), std::optional<std::string>());
    QCOMPARE(nearest("", kKeys), std::optional<std::string>());
  }
};

QTEST_APPLESS_MAIN(SuggestTest)
#include "suggest_test.moc"
