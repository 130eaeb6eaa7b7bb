// limits.min_request_rate / limits.min_rate_grace and listeners[].max_connections: defaults, values
// and their `file:line: message` errors.

#include <QtTest>

#include "engine/config/config_loader.h"
#include "tests/unit/config/config_errors.h"

using namespace sluice::config;
using sluice::test::errorsOf;

namespace {

const std::string kListener = "listeners:\n  - name: plain\n    address: 127.0.0.1:0\n";  // lines 1-3

std::string withLimits(const std::string& lines) {
  return kListener + "limits:\n" + lines;  // the limits' keys start at line 5
}

std::string withListenerKey(const std::string& line) {
  return kListener + "    " + line + "\n";  // line 4
}

}  // namespace

class SlowClientConfigTest : public QObject {
  Q_OBJECT

 private slots:
  void defaults() {
    LoadResult r = loadConfigText(kListener, "t.yaml");
    QVERIFY(r.ok());
    QCOMPARE(r.config->limits.min_request_rate, uint64_t(1024));
    QCOMPARE(r.config->limits.min_rate_grace, Duration(5000));
    QCOMPARE(r.config->listeners[0].max_connections, uint32_t(0));
  }

  void values() {
    LoadResult r = loadConfigText(withListenerKey("max_connections: 250") +
                                      "limits:\n  min_request_rate: 2KiB\n  min_rate_grace: 1s500ms\n",
                                  "t.yaml");
    QVERIFY2(r.ok(), r.errors.empty() ? "" : r.errors[0].str().c_str());
    QCOMPARE(r.config->limits.min_request_rate, uint64_t(2048));
    QCOMPARE(r.config->limits.min_rate_grace, Duration(1500));
    QCOMPARE(r.config->listeners[0].max_connections, uint32_t(250));
  }

  void zeroTurnsTheRateOff() {
    LoadResult r = loadConfigText(withLimits("  min_request_rate: 0\n"), "t.yaml");
    QVERIFY(r.ok());
    QCOMPARE(r.config->limits.min_request_rate, uint64_t(0));
  }

  void rateErrors() {
    QCOMPARE(errorsOf(withLimits("  min_request_rate: -1\n")),
             QStringList{"t.yaml:5: bad size '-1': use bytes or a unit, e.g. 512, 16KiB, 1MiB, 1GiB"});
    QCOMPARE(errorsOf(withLimits("  min_request_rate: 1KiB/s\n")),
             QStringList{"t.yaml:5: bad size '1KiB/s': use bytes or a unit, e.g. 512, 16KiB, 1MiB, 1GiB"});
    QCOMPARE(errorsOf(withLimits("  min_request_rate: 2GiB\n")),
             QStringList{"t.yaml:5: 'min_request_rate' must be 0..1GiB, got 2GiB"});
    QCOMPARE(errorsOf(withLimits("  min_request_rate: [1]\n")),
             QStringList{"t.yaml:5: 'min_request_rate' must be a size (e.g. 16KiB), got a list"});
  }

  void graceErrors() {
    QCOMPARE(errorsOf(withLimits("  min_rate_grace: 5\n")),
             QStringList{"t.yaml:5: bad duration '5': use a unit, e.g. 5s"});
    QCOMPARE(errorsOf(withLimits("  min_rate_grace: 500ms\n")),
             QStringList{"t.yaml:5: 'min_rate_grace' must be at least 1s, got 500ms"});
    QCOMPARE(errorsOf(withLimits("  min_rate_grace: 0s\n")),
             QStringList{"t.yaml:5: 'min_rate_grace' must be at least 1s, got 0s"});
    QCOMPARE(errorsOf(withLimits("  min_rate_grase: 5s\n")),
             QStringList{"t.yaml:5: unknown key 'min_rate_grase' (did you mean 'min_rate_grace'?)"});
  }

  void listenerLimitErrors() {
    QCOMPARE(errorsOf(withListenerKey("max_connections: -1")),
             QStringList{"t.yaml:4: 'max_connections' must be 0..10000000, got -1"});
    QCOMPARE(errorsOf(withListenerKey("max_connections: 10000001")),
             QStringList{"t.yaml:4: 'max_connections' must be 0..10000000, got 10000001"});
    QCOMPARE(errorsOf(withListenerKey("max_connections: many")),
             QStringList{"t.yaml:4: 'max_connections' must be an integer, got 'many'"});
    QCOMPARE(errorsOf(withListenerKey("max_conections: 10")),
             QStringList{"t.yaml:4: unknown key 'max_conections' (did you mean 'max_connections'?)"});
  }
};

QTEST_GUILESS_MAIN(SlowClientConfigTest)
#include "slow_client_config_test.moc"
