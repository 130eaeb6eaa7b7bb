#include "tests/support/metrics_reader.h"

#include <QList>

#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

namespace sluice::test {

double metricValue(int admin_port, const QByteArray& series) {
  const HttpResponse r = RawHttpClient::exchange(admin_port, buildRequest("GET", "/metrics"));
  if (r.status != 200) {
    return -1;
  }
  for (const QByteArray& line : r.body.split('\n')) {
    if (line.startsWith(series + ' ')) {
      bool ok = false;
      const double value = line.mid(series.size() + 1).toDouble(&ok);
      return ok ? value : -1;
    }
  }
  return -1;
}

}  // namespace sluice::test

namespace sluice::test {

bool waitForMetric(int admin_port, const QByteArray& series, double value, int timeout_ms) {
  return waitUntil([&] { return metricValue(admin_port, series) == value; }, timeout_ms, 50);
}

}  // namespace sluice::test
