// The Rate limits and Cache policies pages against FakeEngine: Apply sends `*.set` with the edited
// fields and the base version; an `invalid` reply lands next to its field; a `conflict` shows the
// banner and Reload re-bases the edit; Delete asks first, then sends `*.delete`; New adds a policy.

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QtTest>

#include "console/client/control_client.h"
#include "console/models/policy_table_model.h"
#include "console/widgets/cache_policies_page.h"
#include "console/widgets/conflict_banner.h"
#include "console/widgets/policy_form.h"
#include "console/widgets/rate_limits_page.h"
#include "tests/console/support/fake_engine.h"

using namespace sluice::console;
using sluice::console::test::FakeEngine;

namespace {

void retype(QWidget* editor, const QString& text) {
  auto* line = qobject_cast<QLineEdit*>(editor);
  QVERIFY(line != nullptr);
  line->selectAll();
  QTest::keyClick(line, Qt::Key_Backspace);
  QTest::keyClicks(line, text);
}

QMessageBox* waitForBox(QWidget* parent, const char* name) {
  QMessageBox* box = nullptr;
  (void)QTest::qWaitFor([&]() {
    box = parent->findChild<QMessageBox*>(QLatin1String(name));
    return box != nullptr && box->isVisible();
  });
  return box;
}

}  // namespace

class PolicyPagesTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<FakeEngine> engine_;
  std::unique_ptr<ControlClient> client_;

 private slots:
  void init() {
    engine_ = std::make_unique<FakeEngine>();
    QVERIFY(engine_->listen());
    client_ = std::make_unique<ControlClient>();
  }
  void cleanup() {
    client_.reset();
    engine_.reset();
  }

  void applySendsTheEditedFieldsAndTheBaseVersion() {
    RateLimitsPage page(client_.get());
    page.resize(1100, 700);
    page.show();
    client_->connectTo(engine_->path());
    QTRY_COMPARE(page.model()->rowCount(), 2);
    QCOMPARE(page.baseVersion(), 7);
    // The first policy is selected and in the form.
    QTRY_COMPARE(page.form()->name(), QString("per_ip"));
    QVERIFY(!page.form()->isDirty());
    QVERIFY(!page.revertButton()->isEnabled());

    retype(page.form()->editor("limit"), "250");
    retype(page.form()->editor("window"), "30s");
    auto* mode = qobject_cast<QComboBox*>(page.form()->editor("mode"));
    mode->setCurrentIndex(mode->findText("dry_run"));
    auto* in_flight_status = qobject_cast<QComboBox*>(page.form()->editor("in_flight_status"));
    in_flight_status->setCurrentIndex(in_flight_status->findText("503"));
    QVERIFY(page.form()->isDirty());
    QVERIFY(page.revertButton()->isEnabled());
    QTest::mouseClick(page.applyButton(), Qt::LeftButton);

    QTRY_COMPARE(engine_->requestsFor("rate_limits.set").size(), 1);
    const QJsonObject params = engine_->lastRequest("rate_limits.set").value("params").toObject();
    QCOMPARE(params.value("base_version").toInt(), 7);
    const QJsonObject policy = params.value("policy").toObject();
    QCOMPARE(policy.value("name").toString(), QString("per_ip"));
    QVERIFY(policy.value("limit").isDouble());  // a number, as in the YAML
    QCOMPARE(policy.value("limit").toInt(), 250);
    QCOMPARE(policy.value("window").toString(), QString("30s"));
    QCOMPARE(policy.value("mode").toString(), QString("dry_run"));
    QVERIFY(policy.value("in_flight_status").isDouble());  // 503, a status code, not "503"
    QCOMPARE(policy.value("in_flight_status").toInt(), 503);
    QCOMPARE(policy.value("algorithm").toString(), QString("token_bucket"));
    QCOMPARE(policy.value("burst").toInt(), 20);
    QVERIFY(!policy.contains("routes"));   // the list's extra, not a config key
    QVERIFY(!policy.contains("headers"));  // not set: the node's default applies
    QTRY_COMPARE(page.baseVersion(), 8);
    QVERIFY(page.statusText().contains("8"));
    QTRY_COMPARE(page.model()->data(page.model()->index(0, 3)).toString(), QString("250"));
    QVERIFY(!page.form()->isDirty());
  }

  void anInvalidReplyShowsItsMessageNextToTheField() {
    RateLimitsPage page(client_.get());
    page.resize(1100, 700);
    page.show();
    client_->connectTo(engine_->path());
    QTRY_COMPARE(page.form()->name(), QString("per_ip"));
    const QString message = "bad duration '5': use a unit, e.g. 5s";
    engine_->setError(
        "rate_limits.set", "invalid", message, "rate_limits[0].window",
        QJsonArray{QJsonObject{{"field", "rate_limits[0].window"}, {"line", 12}, {"message", message}}});
    retype(page.form()->editor("window"), "5");
    QTest::mouseClick(page.applyButton(), Qt::LeftButton);
    QLabel* error = page.form()->errorLabel("window");
    QTRY_VERIFY(error->isVisible());
    QCOMPARE(error->text(), message);
    // Right next to its field: in the same cell, just below the editor.
    QWidget* editor = page.form()->editor("window");
    QCOMPARE(error->parentWidget(), editor->parentWidget());
    QVERIFY(error->geometry().top() >= editor->geometry().bottom());
    QVERIFY(error->geometry().top() - editor->geometry().bottom() < 10);
    QVERIFY(!page.form()->errorLabel("limit")->isVisible());
    QVERIFY(!page.form()->generalErrorLabel()->isVisible());
    QVERIFY(page.form()->isDirty());  // the edit stays for fixing
    QCOMPARE(page.baseVersion(), 7);

    // An error about another place (a route) goes to the form's own line.
    engine_->setError("rate_limits.set", "invalid", "route 'api': rate limit 'x' is not defined",
                      "routes[0].rate_limits[0]");
    QTest::mouseClick(page.applyButton(), Qt::LeftButton);
    QTRY_VERIFY(page.form()->generalErrorLabel()->isVisible());
    QVERIFY(page.form()->generalErrorLabel()->text().contains("routes[0].rate_limits[0]"));
    QVERIFY(!error->isVisible());
  }

  void aConflictShowsTheBannerAndReloadRebases() {
    RateLimitsPage page(client_.get());
    page.resize(1100, 700);
    page.show();
    client_->connectTo(engine_->path());
    QTRY_COMPARE(page.form()->name(), QString("per_ip"));
    engine_->setConfigVersion(9);  // someone else edited the config
    retype(page.form()->editor("limit"), "300");
    QTest::mouseClick(page.applyButton(), Qt::LeftButton);
    QTRY_VERIFY(page.banner()->isVisible());
    QTRY_VERIFY(page.banner()->text().contains("The config changed on the node (version 9)"));
    QCOMPARE(page.baseVersion(), 7);

    QTest::mouseClick(page.banner()->reloadButton(), Qt::LeftButton);
    QTRY_COMPARE(page.baseVersion(), 9);
    QVERIFY(!page.banner()->isVisible());
    QVERIFY(page.form()->isDirty());  // the edit survived the reload
    QTest::mouseClick(page.applyButton(), Qt::LeftButton);
    QTRY_COMPARE(engine_->requestsFor("rate_limits.set").size(), 2);
    QCOMPARE(engine_->lastRequest("rate_limits.set").value("params").toObject().value("base_version").toInt(),
             9);
    QTRY_COMPARE(page.baseVersion(), 10);
    QVERIFY(!page.banner()->isVisible());
  }

  void revertDiscardsTheEdits() {
    RateLimitsPage page(client_.get());
    page.show();
    client_->connectTo(engine_->path());
    QTRY_COMPARE(page.form()->name(), QString("per_ip"));
    retype(page.form()->editor("limit"), "999");
    QTest::mouseClick(page.revertButton(), Qt::LeftButton);
    QCOMPARE(qobject_cast<QLineEdit*>(page.form()->editor("limit"))->text(), QString("100"));
    QVERIFY(!page.form()->isDirty());
  }

  void deleteAsksThenSendsDelete() {
    RateLimitsPage page(client_.get());
    page.resize(1100, 700);
    page.show();
    client_->connectTo(engine_->path());
    QTRY_COMPARE(page.model()->rowCount(), 2);
    page.table()->selectRow(1);
    QCOMPARE(page.form()->name(), QString("per_key"));

    // Cancel: nothing is sent.
    QTest::mouseClick(page.deleteButton(), Qt::LeftButton);
    QMessageBox* box = waitForBox(&page, "confirmDelete");
    QVERIFY(box != nullptr);
    QVERIFY(box->text().contains("per_key"));
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(page.findChild<QMessageBox*>("confirmDelete") == nullptr);
    QCOMPARE(engine_->requestsFor("rate_limits.delete").size(), 0);

    QTest::mouseClick(page.deleteButton(), Qt::LeftButton);
    box = waitForBox(&page, "confirmDelete");
    QVERIFY(box != nullptr);
    QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    QTRY_COMPARE(engine_->requestsFor("rate_limits.delete").size(), 1);
    const QJsonObject params = engine_->lastRequest("rate_limits.delete").value("params").toObject();
    QCOMPARE(params.value("name").toString(), QString("per_key"));
    QCOMPARE(params.value("base_version").toInt(), 7);
    QTRY_COMPARE(page.model()->rowCount(), 1);
    QCOMPARE(page.baseVersion(), 8);
  }

  void aSortedTableStillEditsTheRowClicked() {
    RateLimitsPage page(client_.get());
    page.show();
    client_->connectTo(engine_->path());
    QTRY_COMPARE(page.model()->rowCount(), 2);
    page.table()->sortByColumn(0, Qt::DescendingOrder);  // per_key above per_ip
    page.table()->selectRow(0);
    QCOMPARE(page.form()->name(), QString("per_key"));
    QCOMPARE(qobject_cast<QLineEdit*>(page.form()->editor("limit"))->text(), QString("1000"));
    retype(page.form()->editor("limit"), "2000");
    QTest::mouseClick(page.applyButton(), Qt::LeftButton);
    QTRY_COMPARE(engine_->requestsFor("rate_limits.set").size(), 1);
    const QJsonObject policy =
        engine_->lastRequest("rate_limits.set").value("params").toObject().value("policy").toObject();
    QCOMPARE(policy.value("name").toString(), QString("per_key"));
    QCOMPARE(policy.value("limit").toInt(), 2000);
    QTRY_COMPARE(page.baseVersion(), 8);
    QCOMPARE(page.form()->name(), QString("per_key"));  // still the one edited after the reload
  }

  void aDeleteRefusedBecauseARouteUsesItSaysWhy() {
    RateLimitsPage page(client_.get());
    page.show();
    client_->connectTo(engine_->path());
    QTRY_COMPARE(page.model()->rowCount(), 2);
    engine_->setError("rate_limits.delete", "invalid", "route 'api' uses rate limit 'per_ip'",
                      "routes[0].rate_limits[0]");
    page.table()->selectRow(0);
    QTest::mouseClick(page.deleteButton(), Qt::LeftButton);
    QMessageBox* box = waitForBox(&page, "confirmDelete");
    QVERIFY(box != nullptr);
    QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    QTRY_VERIFY(page.statusText().contains("route 'api' uses rate limit 'per_ip'"));
    QCOMPARE(page.model()->rowCount(), 2);
  }

  void newAddsAPolicyWithOnlyTheKeysSet() {
    RateLimitsPage page(client_.get());
    page.show();
    client_->connectTo(engine_->path());
    QTRY_COMPARE(page.model()->rowCount(), 2);
    QTest::mouseClick(page.newButton(), Qt::LeftButton);
    QVERIFY(page.form()->isNew());
    QVERIFY(!qobject_cast<QLineEdit*>(page.form()->editor("name"))->isReadOnly());
    QTest::keyClicks(page.form()->editor("name"), "burst_guard");
    QTest::keyClicks(page.form()->editor("limit"), "10");
    QTest::mouseClick(page.applyButton(), Qt::LeftButton);
    QTRY_COMPARE(engine_->requestsFor("rate_limits.set").size(), 1);
    const QJsonObject policy =
        engine_->lastRequest("rate_limits.set").value("params").toObject().value("policy").toObject();
    QCOMPARE(policy, (QJsonObject{{"name", "burst_guard"}, {"limit", 10}}));
    QTRY_COMPARE(page.model()->rowCount(), 3);
    QCOMPARE(page.form()->name(), QString("burst_guard"));
    QVERIFY(qobject_cast<QLineEdit*>(page.form()->editor("name"))->isReadOnly());
  }

  void cachePoliciesEditTheirOwnSection() {
    CachePoliciesPage page(client_.get());
    page.show();
    client_->connectTo(engine_->path());
    QTRY_COMPARE(page.form()->name(), QString("short"));
    // The routes that use the policy are listed.
    QCOMPARE(page.model()->data(page.model()->index(0, page.model()->columnCount() - 1)).toString(),
             QString("api"));
    retype(page.form()->editor("default_ttl"), "2m");
    QTest::keyClicks(page.form()->editor("max_object_size"), "16MiB");
    QTest::mouseClick(page.applyButton(), Qt::LeftButton);
    QTRY_COMPARE(engine_->requestsFor("cache_policies.set").size(), 1);
    const QJsonObject params = engine_->lastRequest("cache_policies.set").value("params").toObject();
    QCOMPARE(params.value("base_version").toInt(), 7);
    QCOMPARE(params.value("policy").toObject(), (QJsonObject{{"name", "short"},
                                                             {"default_ttl", "2m"},
                                                             {"max_ttl", "1h"},
                                                             {"stale_while_revalidate", "30s"},
                                                             {"max_object_size", "16MiB"}}));
    QTRY_COMPARE(page.baseVersion(), 8);  // the reply is in: the page takes the next Apply
    engine_->setError("cache_policies.set", "invalid", "default_ttl 2h exceeds max_ttl 1h",
                      "cache_policies[0].default_ttl");
    retype(page.form()->editor("default_ttl"), "2h");
    QTest::mouseClick(page.applyButton(), Qt::LeftButton);
    QTRY_VERIFY(page.form()->errorLabel("default_ttl")->isVisible());
    QVERIFY(page.form()->errorLabel("default_ttl")->text().contains("exceeds"));
  }

  void keysTheFormDoesNotKnowAreKept() {
    PolicyForm form(PolicySchema::rateLimits());
    form.load(QJsonObject{{"name", "x"}, {"limit", 5}, {"future_key", "on"}, {"routes", QJsonArray{"a"}}},
              false);
    const QJsonObject policy = form.policy();
    QCOMPARE(policy.value("future_key").toString(), QString("on"));
    QVERIFY(!policy.contains("routes"));
    QCOMPARE(form.keyOfField("rate_limits[3].burst"), QString("burst"));
    QCOMPARE(form.keyOfField("cache_policies[0].max_ttl"), QString());
    QCOMPARE(form.keyOfField(""), QString());
  }
};

QTEST_MAIN(PolicyPagesTest)
#include "policy_pages_test.moc"
