#include "tests/support/prometheus_text.h"

#include <QList>

#include "tests/support/raw_http_client.h"

namespace sluice::test {

double metricValue(const QByteArray& text, const QByteArray& series) {
  const QByteArray prefix = series + ' ';
  for (const QByteArray& line : text.split('\n')) {
    if (line.startsWith(prefix)) {
      bool ok = false;
      const double value = line.mid(prefix.size()).trimmed().toDouble(&ok);
      return ok ? value : -1;
    }
  }
  return -1;
}

double fetchMetric(int admin_port, const QByteArray& series) {
  const HttpResponse response = RawHttpClient::exchange(
      admin_port, "GET /metrics HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n");
  return response.status == 200 ? metricValue(response.body, series) : -1;
}

}  // namespace sluice::test
