#include "engine/log/access_log_format.h"

#include <QtTest>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

using namespace sluice::log;
using namespace std::chrono_literals;

namespace {

std::string escaped(std::string_view text) {
  std::string out;
  appendJsonString(out, text);
  return out;
}

// Decodes what appendJsonString produced, with an independent parser.
std::string roundTrip(std::string_view text) {
  return nlohmann::json::parse(escaped(text)).get<std::string>();
}

}  // namespace

class AccessLogFormatTest : public QObject {
  Q_OBJECT

 private slots:
  void lineParsesAndMatches() {
    AccessRecord r;
    r.time = std::chrono::system_clock::time_point{1700000000s + 42ms};
    r.request_id = "req-0001";
    r.client = "192.0.2.7:51234";
    r.method = "POST";
    r.path = "/v1/items?id=3&x=\"y\"";
    r.route = "api";
    r.upstream = "api/127.0.0.1:9001";
    r.status = 201;
    r.bytes_in = 512;
    r.bytes_out = 18446744073709551615ULL;
    r.duration_us = 1234567;
    AccessLogFormatter f;
    std::string line;
    f.format(r, line);
    QVERIFY(line.ends_with("}\n"));
    QCOMPARE(std::count(line.begin(), line.end(), '\n'), 1L);
    QVERIFY(line.find("\"duration_ms\":1234.567}") != std::string::npos);
    const auto j = nlohmann::json::parse(line);
    QCOMPARE(j.size(), size_t{11});
    QCOMPARE(j["time"].get<std::string>(), std::string("2023-11-14T22:13:20.042Z"));
    QCOMPARE(j["request_id"].get<std::string>(), std::string("req-0001"));
    QCOMPARE(j["client"].get<std::string>(), std::string("192.0.2.7:51234"));
    QCOMPARE(j["method"].get<std::string>(), std::string("POST"));
    QCOMPARE(j["path"].get<std::string>(), std::string("/v1/items?id=3&x=\"y\""));
    QCOMPARE(j["route"].get<std::string>(), std::string("api"));
    QCOMPARE(j["upstream"].get<std::string>(), std::string("api/127.0.0.1:9001"));
    QCOMPARE(j["status"].get<int>(), 201);
    QCOMPARE(j["bytes_in"].get<uint64_t>(), uint64_t{512});
    QCOMPARE(j["bytes_out"].get<uint64_t>(), uint64_t{18446744073709551615ULL});
    QCOMPARE(j["duration_ms"].get<double>(), 1234.567);
  }

  void timeAndDurationEdges() {
    AccessLogFormatter f;
    AccessRecord r;
    std::string out;
    r.time = std::chrono::system_clock::time_point{1700000000s + 999ms};
    r.duration_us = 7;
    f.format(r, out);
    r.time += 1ms;  // the cached second must roll over
    r.duration_us = 0;
    f.format(r, out);
    r.time = std::chrono::system_clock::time_point{-1ms};  // before the epoch floors, not truncates
    f.format(r, out);
    const QStringList lines = QString::fromStdString(out).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    const auto a = nlohmann::json::parse(lines[0].toStdString());
    const auto b = nlohmann::json::parse(lines[1].toStdString());
    const auto c = nlohmann::json::parse(lines[2].toStdString());
    QCOMPARE(a["time"].get<std::string>(), std::string("2023-11-14T22:13:20.999Z"));
    QCOMPARE(b["time"].get<std::string>(), std::string("2023-11-14T22:13:21.000Z"));
    QCOMPARE(c["time"].get<std::string>(), std::string("1969-12-31T23:59:59.999Z"));
    QVERIFY(lines[0].contains("\"duration_ms\":0.007}"));
    QVERIFY(lines[1].contains("\"duration_ms\":0.000}"));
    QCOMPARE(a["status"].get<int>(), 0);
    QCOMPARE(a["path"].get<std::string>(), std::string(""));
  }

  void escapesHostileText() {
    QCOMPARE(escaped("plain/path"), std::string("\"plain/path\""));
    QCOMPARE(escaped("a\"b\\c"), std::string("\"a\\\"b\\\\c\""));
    QCOMPARE(escaped(std::string_view("\x00\x01\n\r\t\x1f\x7f", 7)),
             std::string("\"\\u0000\\u0001\\u000a\\u000d\\u0009\\u001f\\u007f\""));
    QCOMPARE(escaped("/caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80"),
             std::string("\"/caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80\""));
    QCOMPARE(escaped("\xff"), std::string("\"\\ufffd\""));
    QCOMPARE(escaped("\xc0\xaf"), std::string("\"\\ufffd\\ufffd\""));                        // overlong '/'
    QCOMPARE(escaped("\xed\xa0\x80"), std::string("\"\\ufffd\\ufffd\\ufffd\""));             // surrogate
    QCOMPARE(escaped("\xf4\x90\x80\x80"), std::string("\"\\ufffd\\ufffd\\ufffd\\ufffd\""));  // > U+10FFFF
    QCOMPARE(escaped("ab\xe2\x82"), std::string("\"ab\\ufffd\\ufffd\""));  // truncated at the end
    QCOMPARE(escaped("\xe2\x82x"), std::string("\"\\ufffd\\ufffdx\""));    // truncated mid-string

    const std::string hostile =
        std::string("/a\"}\n{\"status\":200,\\\x1b[31m\xc3(\xe2\x28\xa1", 30) + "\xf0\x9f\x98";
    const std::string decoded = roundTrip(hostile);
    QCOMPARE(decoded, std::string("/a\"}\n{\"status\":200,\\\x1b[31m\xef\xbf\xbd(\xef\xbf\xbd(\xef\xbf\xbd"
                                  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"));

    AccessLogFormatter f;
    AccessRecord r;
    r.path = hostile;
    r.method = std::string_view("G\0T", 3);
    std::string line;
    f.format(r, line);
    QCOMPARE(std::count(line.begin(), line.end(), '\n'), 1L);  // one record stays one line
    const auto j = nlohmann::json::parse(line);
    QCOMPARE(j["path"].get<std::string>(), decoded);
    QCOMPARE(j["method"].get<std::string>(), std::string("G\0T", 3));
  }

  void everyByteRoundTrips() {
    std::string all;
    for (int c = 0; c < 128; ++c) {
      all += static_cast<char>(c);
    }
    QCOMPARE(roundTrip(all), all);  // ASCII, including controls, survives exactly
  }
};

QTEST_APPLESS_MAIN(AccessLogFormatTest)
#include "access_log_format_test.moc"
