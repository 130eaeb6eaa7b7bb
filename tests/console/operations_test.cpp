// Operations against FakeEngine: the purge dialog sends the right `cache.purge` params (and asks
// before "everything"), the Upstreams page drains and undrains the selected server, and the main
// window's status bar follows the connection (node, version, config version, disconnected since).

#include <unistd.h>

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QTableView>
#include <QtTest>

#include "console/client/control_client.h"
#include "console/client/default_socket_path.h"
#include "console/models/route_table_model.h"
#include "console/models/upstream_table_model.h"
#include "console/widgets/connect_dialog.h"
#include "console/widgets/main_window.h"
#include "console/widgets/purge_dialog.h"
#include "console/widgets/upstreams_page.h"
#include "tests/console/support/fake_engine.h"

using namespace sluice::console;
using sluice::console::test::FakeEngine;
using sluice::console::test::makeSnapshot;

namespace {
// A radio button takes clicks on its indicator and label only, not on the rest of its width.
void clickRadio(QRadioButton* button) {
  QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(6, button->height() / 2));
}
}  // namespace

class OperationsTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<FakeEngine> engine_;
  std::unique_ptr<ControlClient> client_;

 private slots:
  void init() {
    engine_ = std::make_unique<FakeEngine>();
    QVERIFY(engine_->listen());
    client_ = std::make_unique<ControlClient>();
    client_->connectTo(engine_->path());
    QTRY_COMPARE(client_->state(), ControlConnection::State::Connected);
  }
  void cleanup() {
    client_.reset();
    engine_.reset();
  }

  void purgeSendsTheRightParams() {
    PurgeDialog dialog(client_.get());
    dialog.show();
    QVERIFY(!dialog.purgeButton()->isEnabled());  // nothing to purge yet
    QTest::keyClicks(dialog.valueEdit(), "http://shop.example/item?id=4");
    QTest::mouseClick(dialog.purgeButton(), Qt::LeftButton);
    QTRY_COMPARE(engine_->requestsFor("cache.purge").size(), 1);
    QCOMPARE(engine_->lastRequest("cache.purge").value("params").toObject(),
             (QJsonObject{{"url", "http://shop.example/item?id=4"}}));
    QTRY_COMPARE(dialog.resultText(), QString("3 entries purged."));

    clickRadio(dialog.kindButton(PurgeDialog::Kind::Prefix));
    dialog.valueEdit()->clear();
    QTest::keyClicks(dialog.valueEdit(), "http://shop.example/img/");
    QTest::mouseClick(dialog.purgeButton(), Qt::LeftButton);
    QTRY_COMPARE(engine_->requestsFor("cache.purge").size(), 2);
    QCOMPARE(engine_->lastRequest("cache.purge").value("params").toObject(),
             (QJsonObject{{"prefix", "http://shop.example/img/"}}));

    QTRY_VERIFY(dialog.resultText().contains("purged"));
    clickRadio(dialog.kindButton(PurgeDialog::Kind::Tag));

    dialog.valueEdit()->clear();
    QTest::keyClicks(dialog.valueEdit(), "product-42");
    QTest::mouseClick(dialog.purgeButton(), Qt::LeftButton);
    QTRY_COMPARE(engine_->requestsFor("cache.purge").size(), 3);
    QCOMPARE(engine_->lastRequest("cache.purge").value("params").toObject(),
             (QJsonObject{{"tag", "product-42"}}));
  }

  void purgingEverythingAsksFirst() {
    PurgeDialog dialog(client_.get());
    dialog.show();
    clickRadio(dialog.kindButton(PurgeDialog::Kind::All));
    QVERIFY(!dialog.valueEdit()->isEnabled());
    QVERIFY(dialog.purgeButton()->isEnabled());
    const auto confirm = [&]() {
      QMessageBox* box = nullptr;
      (void)QTest::qWaitFor([&]() {
        box = dialog.findChild<QMessageBox*>("confirmPurgeAll");
        return box != nullptr && box->isVisible();
      });
      return box;
    };
    QTest::mouseClick(dialog.purgeButton(), Qt::LeftButton);
    QMessageBox* box = confirm();
    QVERIFY(box != nullptr);
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_COMPARE(dialog.resultText(), QString("Nothing purged."));
    QCOMPARE(engine_->requestsFor("cache.purge").size(), 0);

    QTest::mouseClick(dialog.purgeButton(), Qt::LeftButton);
    box = confirm();
    QVERIFY(box != nullptr);
    QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    QTRY_COMPARE(engine_->requestsFor("cache.purge").size(), 1);
    QCOMPARE(engine_->lastRequest("cache.purge").value("params").toObject(), (QJsonObject{{"all", true}}));
    QTRY_COMPARE(dialog.resultText(), QString("42 entries purged."));
  }

  void aPurgeErrorIsShown() {
    engine_->setError("cache.purge", "not_found", "the node has no cache");
    PurgeDialog dialog(client_.get());
    dialog.show();
    QTest::keyClicks(dialog.valueEdit(), "http://x/");
    QTest::mouseClick(dialog.purgeButton(), Qt::LeftButton);
    QTRY_VERIFY(dialog.resultText().contains("the node has no cache"));
  }

  void theDrainButtonDrainsTheSelectedServer() {
    RouteTableModel routes;
    UpstreamsPage page(client_.get(), &routes);
    page.resize(1000, 600);
    page.show();
    page.refresh();
    QTRY_COMPARE(page.model()->rowCount(), 2);
    QVERIFY(!page.drainButton()->isEnabled());  // nothing selected
    page.table()->selectRow(0);
    QVERIFY(page.drainButton()->isEnabled());
    QVERIFY(!page.undrainButton()->isEnabled());
    QTest::mouseClick(page.drainButton(), Qt::LeftButton);
    QTRY_COMPARE(engine_->requestsFor("upstreams.drain").size(), 1);
    QCOMPARE(engine_->lastRequest("upstreams.drain").value("params").toObject(),
             (QJsonObject{{"upstream", "api"}, {"server", "127.0.0.1:9001"}}));
    QTRY_COMPARE(page.model()->data(page.model()->index(0, UpstreamTableModel::State)).toString(),
                 QString("drained"));
    QVERIFY(page.undrainButton()->isEnabled());
    QVERIFY(!page.drainButton()->isEnabled());
    QTest::mouseClick(page.undrainButton(), Qt::LeftButton);
    QTRY_COMPARE(engine_->requestsFor("upstreams.undrain").size(), 1);
    QCOMPARE(engine_->lastRequest("upstreams.undrain").value("params").toObject(),
             (QJsonObject{{"upstream", "api"}, {"server", "127.0.0.1:9001"}}));
    QTRY_COMPARE(page.model()->data(page.model()->index(0, UpstreamTableModel::State)).toString(),
                 QString("up"));
    // The second server is down (passive health), and says so.
    QCOMPARE(page.model()->data(page.model()->index(1, UpstreamTableModel::State)).toString(),
             QString("down"));
  }

  void theStatusBarFollowsTheConnection() {
    MainWindow window(client_.get());
    window.show();
    QTRY_VERIFY(window.statusText().contains("node fake-node"));
    QVERIFY(window.statusText().contains("config version 7"));
    engine_->dropClients();
    QTRY_VERIFY(window.statusText().contains("disconnected since "));
    const QString since = client_->disconnectedSince().toString("HH:mm:ss");
    QVERIFY(window.statusText().contains(since));
    QTRY_VERIFY_WITH_TIMEOUT(window.statusText().contains("Connected"), 3000);
    QTRY_VERIFY(window.statusText().contains("sluice 0.1.0-fake"));
    QTRY_VERIFY(window.statusText().contains("config version 7"));
    QVERIFY(!window.statusText().contains("disconnected since"));
    // Page shortcuts.
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), int(MainWindow::CachePolicies));
    QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), int(MainWindow::Dashboard));
  }

  void theSocketPathComesFromTheCommandLineTheSettingsOrTheDefault() {
    QTemporaryDir settings_dir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings_dir.path());
    QCoreApplication::setOrganizationName("sluice-test");
    QCoreApplication::setApplicationName("console-test");
    QSettings().clear();
    QCOMPARE(ConnectDialog::initialSocketPath({}), defaultSocketPath());
    ConnectDialog::remember("/tmp/remembered.sock");
    QCOMPARE(ConnectDialog::initialSocketPath({}), QString("/tmp/remembered.sock"));
    QCOMPARE(ConnectDialog::initialSocketPath("/tmp/cli.sock"), QString("/tmp/cli.sock"));  // --socket wins
    if (::geteuid() == 0) {
      QCOMPARE(defaultSocketPath(), QString("/run/sluice/control.sock"));
    } else if (qEnvironmentVariableIsSet("XDG_RUNTIME_DIR")) {
      QCOMPARE(defaultSocketPath(), qEnvironmentVariable("XDG_RUNTIME_DIR") + "/sluice/control.sock");
    }
    ConnectDialog dialog("/tmp/remembered.sock");
    QCOMPARE(dialog.socketPath(), QString("/tmp/remembered.sock"));
    dialog.pathEdit()->clear();
    QCOMPARE(dialog.socketPath(), defaultSocketPath());  // empty means the default
  }

  void everyPageHasUniqueMnemonics() {
    MainWindow window(client_.get());
    window.show();
    const auto mnemonic = [](const QString& text) -> QChar {
      const int at = text.indexOf('&');
      return at >= 0 && at + 1 < text.size() ? text.at(at + 1).toLower() : QChar();
    };
    QStringList menus;
    for (QAction* action : window.menuBar()->actions()) {
      menus.append(action->text());
    }
    for (int page = 0; page < MainWindow::PageCount; ++page) {
      window.showPage(page);
      QHash<QChar, QString> seen;
      for (const QString& menu : menus) {
        seen.insert(mnemonic(menu), menu);
      }
      QStringList texts;
      for (QLabel* label : window.findChildren<QLabel*>()) {
        if (label->isVisibleTo(&window) && label->buddy() != nullptr) {
          texts.append(label->text());
        }
      }
      for (QAbstractButton* button : window.findChildren<QAbstractButton*>()) {
        if (button->isVisibleTo(&window)) {
          texts.append(button->text());
        }
      }
      for (const QString& text : texts) {
        const QChar key = mnemonic(text);
        if (key.isNull()) {
          continue;
        }
        QVERIFY2(!seen.contains(key),
                 qPrintable(QString("%1: '%2' and '%3' share Alt+%4")
                                .arg(MainWindow::pageSlug(page), seen.value(key), text, key)));
        seen.insert(key, text);
      }
    }
  }
};

QTEST_MAIN(OperationsTest)
#include "operations_test.moc"
