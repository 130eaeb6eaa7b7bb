#include "engine/control/prometheus.h"

#include <QtTest>
#include <chrono>
#include <initializer_list>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "engine/control/stats_aggregator.h"
#include "engine/stats/worker_stats.h"

using namespace sluice;
using control::PrometheusInfo;
using control::StatsAggregator;
using stats::WorkerStats;

namespace {

// "name{labels}" -> value, for every sample line; checks the comment lines on the way.
struct Parsed {
  std::map<std::string, std::string> samples;
  std::map<std::string, std::string> types;  // family -> type
  QStringList problems;
};

Parsed parse(const std::string& text) {
  static const std::regex kSample(
      R"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? ([^ ]+)$)re");
  static const std::regex kType(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$)");
  static const std::regex kHelp(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$)");
  Parsed p;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, kType)) {
      if (p.types.count(m[1])) {
        p.problems << QString::fromStdString("duplicate TYPE: " + line);
      }
      p.types[m[1]] = m[2];
    } else if (std::regex_match(line, m, kHelp)) {
    } else if (std::regex_match(line, m, kSample)) {
      std::string family = m[1];
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        const std::string s(suffix);
        if (!p.types.count(family) && family.size() > s.size() && family.ends_with(s)) {
          family.resize(family.size() - s.size());
        }
      }
      if (!p.types.count(family)) {
        p.problems << QString::fromStdString("sample before its TYPE: " + line);
      }
      const std::string key = m[1].str() + m[2].str();
      if (p.samples.count(key)) {
        p.problems << QString::fromStdString("duplicate sample: " + line);
      }
      p.samples[key] = m[4];
    } else {
      p.problems << QString::fromStdString("unparsable: " + line);
    }
  }
  return p;
}

// The sample key as rendered; label values are given already escaped.
std::string key(const std::string& name, std::initializer_list<std::pair<const char*, std::string>> labels) {
  std::string out = name + "{";
  const char* sep = "";
  for (const auto& [label, value] : labels) {
    out += sep + std::string(label) + "=\"" + value + "\"";
    sep = ",";
  }
  return out + "}";
}

// The escaped forms of the hostile names below (written out by hand, not via escapeLabelValue).
const std::string kWeird = "we\\\"ird\\\\route";  // we"ird\route
const std::string kEdge = "edge \\\"1\\\"";       // edge "1"

}  // namespace

class PrometheusTest : public QObject {
  Q_OBJECT

 private slots:
  void escapesLabelValues() {
    QCOMPARE(control::escapeLabelValue("plain"), std::string("plain"));
    QCOMPARE(control::escapeLabelValue("a\"b\\c\nd"), std::string("a\\\"b\\\\c\\nd"));
  }

  void exactValuesFromKnownStats() {
    WorkerStats w1, w2;
    auto* api1 = w1.route("api");
    auto* api2 = w2.route("api");
    for (int i = 0; i < 3; ++i) {
      api1->record(200, 100, 1000, 400);  // <= 0.5 ms
    }
    api2->record(201, 0, 0, 800);
    api2->record(404, 0, 0, 1000);  // exactly on the 1 ms boundary
    api1->record(503, 0, 0, 3000);
    api2->record(0, 0, 0, 0);                                 // aborted: not in the histogram
    w2.route("we\"ird\\route")->record(200, 1, 1, 20000000);  // above the last finite bucket
    stats::bump(w1.node().connections_accepted, 40);
    stats::bump(w2.node().connections_accepted, 2);
    stats::setGauge(w1.node().connections_active, 5);
    stats::bump(w2.node().header_timeout, 3);
    stats::bump(w1.node().upstream_timeouts, 9);
    stats::bump(w1.node().slow_head, 4);
    stats::bump(w2.node().slow_body, 6);
    stats::setGauge(w1.listener("public")->connections_active, 5);
    stats::bump(w2.listener("public")->refused, 11);
    auto* server = w1.upstreamServer("api/127.0.0.1:9001");
    stats::bump(server->requests, 17);
    stats::bump(server->failures, 2);
    stats::setGauge(server->marked_down, 1);

    StatsAggregator agg({&w1, &w2});
    agg.tick(std::chrono::system_clock::time_point{std::chrono::seconds(1700000000)});
    PrometheusInfo info;
    info.version = "0.1.0";
    info.node_name = "edge \"1\"";
    info.uptime_seconds = 12.5;
    info.config_version = 4;
    info.process_cpu_seconds = 1.25;
    info.process_rss_bytes = 123456789;
    const std::string text = control::renderPrometheus(agg, info);
    QVERIFY(text.ends_with("\n"));
    const Parsed p = parse(text);
    QVERIFY2(p.problems.isEmpty(), qPrintable(p.problems.join("\n")));
    const auto value = [&](const std::string& key) {
      const auto it = p.samples.find(key);
      if (it == p.samples.end()) {
        qWarning("missing sample %s", key.c_str());
        return std::string("<missing>");
      }
      return it->second;
    };

    QCOMPARE(value(key("sluice_build_info", {{"version", "0.1.0"}, {"node", kEdge}})), std::string("1"));
    QCOMPARE(value("sluice_config_version"), std::string("4"));
    QCOMPARE(value("sluice_uptime_seconds"), std::string("12.5"));
    QCOMPARE(value("process_cpu_seconds_total"), std::string("1.25"));
    QCOMPARE(value("process_resident_memory_bytes"), std::string("123456789"));

    QCOMPARE(value(key("sluice_requests_total", {{"route", "api"}, {"code", "2xx"}})), std::string("4"));
    QCOMPARE(value(key("sluice_requests_total", {{"route", "api"}, {"code", "4xx"}})), std::string("1"));
    QCOMPARE(value(key("sluice_requests_total", {{"route", "api"}, {"code", "5xx"}})), std::string("1"));
    QCOMPARE(value(key("sluice_requests_total", {{"route", "api"}, {"code", "aborted"}})), std::string("1"));
    QCOMPARE(value(key("sluice_requests_total", {{"route", "api"}, {"code", "1xx"}})), std::string("0"));
    QCOMPARE(value(key("sluice_requests_total", {{"route", "_none"}, {"code", "2xx"}})), std::string("0"));
    QCOMPARE(value(key("sluice_requests_total", {{"route", kWeird}, {"code", "2xx"}})), std::string("1"));
    QCOMPARE(value(key("sluice_received_bytes_total", {{"route", "api"}})), std::string("300"));
    QCOMPARE(value(key("sluice_sent_bytes_total", {{"route", "api"}})), std::string("3000"));

    QCOMPARE(p.types.at("sluice_request_duration_seconds"), std::string("histogram"));
    const auto bucket = [&](const std::string& route, const std::string& le) {
      return value("sluice_request_duration_seconds_bucket{route=\"" + route + "\",le=\"" + le + "\"}");
    };
    QCOMPARE(bucket("api", "0.0005"), std::string("3"));
    QCOMPARE(bucket("api", "0.001"), std::string("5"));
    QCOMPARE(bucket("api", "0.0025"), std::string("5"));
    QCOMPARE(bucket("api", "0.005"), std::string("6"));
    QCOMPARE(bucket("api", "10"), std::string("6"));
    QCOMPARE(bucket("api", "+Inf"), std::string("6"));
    QCOMPARE(value(key("sluice_request_duration_seconds_count", {{"route", "api"}})), std::string("6"));
    QCOMPARE(value(key("sluice_request_duration_seconds_sum", {{"route", "api"}})), std::string("0.006"));
    QCOMPARE(bucket(kWeird, "10"), std::string("0"));
    QCOMPARE(bucket(kWeird, "+Inf"), std::string("1"));
    QCOMPARE(value(key("sluice_request_duration_seconds_sum", {{"route", kWeird}})), std::string("20"));

    QCOMPARE(value("sluice_connections_active"), std::string("5"));
    QCOMPARE(p.types.at("sluice_connections_active"), std::string("gauge"));
    QCOMPARE(value("sluice_connections_accepted_total"), std::string("42"));
    QCOMPARE(p.types.at("sluice_connections_accepted_total"), std::string("counter"));
    QCOMPARE(value(key("sluice_http_errors_total", {{"reason", "header_timeout"}})), std::string("3"));
    QCOMPARE(value(key("sluice_http_errors_total", {{"reason", "bad_request"}})), std::string("0"));
    QCOMPARE(value(key("sluice_http_errors_total", {{"reason", "slow_head"}})), std::string("4"));
    QCOMPARE(value(key("sluice_http_errors_total", {{"reason", "slow_body"}})), std::string("6"));
    QCOMPARE(value(key("sluice_listener_connections_active", {{"listener", "public"}})), std::string("5"));
    QCOMPARE(p.types.at("sluice_listener_connections_active"), std::string("gauge"));
    QCOMPARE(value(key("sluice_listener_connections_refused_total", {{"listener", "public"}})),
             std::string("11"));
    QCOMPARE(p.types.at("sluice_listener_connections_refused_total"), std::string("counter"));
    QCOMPARE(value(key("sluice_upstream_errors_total", {{"reason", "timeout"}})), std::string("9"));
    QCOMPARE(value("sluice_upstream_retries_total"), std::string("0"));

    QCOMPARE(
        value(key("sluice_upstream_requests_total", {{"upstream", "api"}, {"server", "127.0.0.1:9001"}})),
        std::string("17"));
    QCOMPARE(
        value(key("sluice_upstream_failures_total", {{"upstream", "api"}, {"server", "127.0.0.1:9001"}})),
        std::string("2"));
    QCOMPARE(value(key("sluice_upstream_server_down", {{"upstream", "api"}, {"server", "127.0.0.1:9001"}})),
             std::string("1"));

    // Every node counter is exported exactly once.
    size_t node_samples = 0;
    for (const auto& info_entry : stats::kNodeCounters) {
      const std::string key = info_entry.label.empty() ? std::string(info_entry.family)
                                                       : std::string(info_entry.family) + "{reason=\"" +
                                                             std::string(info_entry.label) + "\"}";
      node_samples += p.samples.count(key);
    }
    QCOMPARE(node_samples, stats::kNodeCounterCount);
  }

  void emptyAggregatorStillRenders() {
    WorkerStats w;
    StatsAggregator agg({&w});
    const Parsed p = parse(control::renderPrometheus(agg, PrometheusInfo{}));
    QVERIFY2(p.problems.isEmpty(), qPrintable(p.problems.join("\n")));
    QCOMPARE(p.samples.at("sluice_connections_active"), std::string("0"));
  }
};

QTEST_APPLESS_MAIN(PrometheusTest)
#include "prometheus_test.moc"
