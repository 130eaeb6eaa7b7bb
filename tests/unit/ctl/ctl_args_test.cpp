// The argument cursor of `sluice ctl` commands (engine/ctl/ctl_args.h): options anywhere, both
// `--name VALUE` and `--name=VALUE`, numbers checked, leftovers reported.

#include "engine/ctl/ctl_args.h"

#include <QtTest>

using sluice::ctl::CtlArgs;

class CtlArgsTest : public QObject {
  Q_OBJECT

 private slots:
  void optionsBeforeAndAfterPositionals() {
    CtlArgs a({"set", "--base-version", "7", "per_ip", "limit=5", "--file=p.yaml"});
    QCOMPARE(a.number("--base-version"), std::optional<double>(7));
    QCOMPARE(a.option("--file"), std::optional<std::string>("p.yaml"));
    QCOMPARE(a.next(), std::optional<std::string>("set"));
    QCOMPARE(a.next(), std::optional<std::string>("per_ip"));
    QCOMPARE(a.next(), std::optional<std::string>("limit=5"));
    QCOMPARE(a.next(), std::nullopt);
    QVERIFY(a.finish());
  }

  void flagsAndAbsentOptions() {
    CtlArgs a({"--watch", "x"});
    QVERIFY(!a.flag("--json"));
    QVERIFY(a.flag("--watch"));
    QVERIFY(!a.flag("--watch"));
    QCOMPARE(a.option("--interval"), std::nullopt);
    QCOMPARE(a.next(), std::optional<std::string>("x"));
    QVERIFY(a.finish());
  }

  void leftoversAreUsageErrors() {
    CtlArgs a({"--bogus"});
    QCOMPARE(a.next(), std::nullopt);  // an option is not a positional
    QVERIFY(!a.finish());
    QCOMPARE(a.error(), std::string("unknown option '--bogus'"));
    CtlArgs b({"extra"});
    QVERIFY(!b.finish());
    QCOMPARE(b.error(), std::string("unexpected argument 'extra'"));
  }

  void missingAndBadValues() {
    CtlArgs a({"--seconds"});
    QCOMPARE(a.number("--seconds"), std::nullopt);
    QVERIFY(a.failed());
    QVERIFY(!a.finish());
    QCOMPARE(a.error(), std::string("--seconds needs a value"));
    CtlArgs b({"--seconds", "ten"});
    QCOMPARE(b.number("--seconds"), std::nullopt);
    QCOMPARE(b.error(), std::string("--seconds needs a number, not 'ten'"));
    CtlArgs c({"--seconds=-1"});
    QCOMPARE(c.number("--seconds"), std::nullopt);
    QVERIFY(c.failed());
  }

  void doubleDashEndsOptions() {
    CtlArgs a({"--", "--not-an-option"});
    QVERIFY(!a.flag("--not-an-option"));
    QCOMPARE(a.next(), std::optional<std::string>("--not-an-option"));
    QVERIFY(a.finish());
  }

  void negativeNumbersAreValues() {
    CtlArgs a({"-5"});
    QCOMPARE(a.next(), std::optional<std::string>("-5"));
  }
};

QTEST_APPLESS_MAIN(CtlArgsTest)
#include "ctl_args_test.moc"
