// Every page rendered offscreen at 1280x800 with QWidget::grab(), saved to the test's temp dir
// (kept, and its path printed, when SLUICE_CONSOLE_KEEP_SCREENSHOTS is set) and checked for drawn
// content: many distinct colours, and on the dashboard, plotted pixels in the series' colours inside
// the chart's plot area. Also: hovering a chart shows the values at the cursor.

#include <QComboBox>
#include <QGraphicsView>
#include <QSet>
#include <QTableView>
#include <QtTest>

#include "console/charts/time_series_chart.h"
#include "console/charts/value_format.h"
#include "console/client/control_client.h"
#include "console/models/policy_table_model.h"
#include "console/models/stats_feed.h"
#include "console/models/upstream_table_model.h"
#include "console/widgets/cache_policies_page.h"
#include "console/widgets/dashboard_page.h"
#include "console/widgets/headline_tile.h"
#include "console/widgets/main_window.h"
#include "console/widgets/rate_limits_page.h"
#include "console/widgets/upstreams_page.h"
#include "tests/console/support/fake_engine.h"

using namespace sluice::console;
using sluice::console::test::FakeEngine;
using sluice::console::test::makeSnapshot;

namespace {

int distinctColours(const QImage& image) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 2) {
    for (int x = 0; x < image.width(); x += 2) {
      colours.insert(image.pixel(x, y));
    }
  }
  return static_cast<int>(colours.size());
}

// Pixels within `rect` close to `colour` (anti-aliasing blends the line's edges).
int pixelsNear(const QImage& image, const QRect& rect, const QColor& colour) {
  int count = 0;
  const QRect area = rect.intersected(image.rect());
  for (int y = area.top(); y <= area.bottom(); ++y) {
    for (int x = area.left(); x <= area.right(); ++x) {
      const QColor pixel = image.pixelColor(x, y);
      if (qAbs(pixel.red() - colour.red()) + qAbs(pixel.green() - colour.green()) +
              qAbs(pixel.blue() - colour.blue()) <
          60) {
        ++count;
      }
    }
  }
  return count;
}

}  // namespace

class ScreenshotsTest : public QObject {
  Q_OBJECT

 private:
  FakeEngine engine_;
  ControlClient client_;
  std::unique_ptr<MainWindow> window_;
  QTemporaryDir dir_;

  QImage shoot(int page) {
    window_->showPage(page);
    QCoreApplication::processEvents();  // layouts and the charts' coalesced redraws
    QCoreApplication::processEvents();
    const QImage image = window_->grab().toImage();
    const QString path = dir_.filePath(QString("console-%1.png").arg(MainWindow::pageSlug(page)));
    if (!image.save(path)) {
      qWarning("could not save %s", qPrintable(path));
    }
    return image;
  }

 private slots:
  void initTestCase() {
    dir_.setAutoRemove(qEnvironmentVariableIsEmpty("SLUICE_CONSOLE_KEEP_SCREENSHOTS"));
    QVERIFY(engine_.listen());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 300; i > 0; --i) {
      // A slow wave, so the lines are not flat.
      engine_.history.append(makeSnapshot(now - i * 1000, 400 + 300 * std::sin(i / 25.0)));
    }
    window_ = std::make_unique<MainWindow>(&client_);
    window_->resize(1280, 800);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    client_.connectTo(engine_.path());
    QTRY_COMPARE(window_->feed()->store().scope()->size(), 300);
    QTRY_COMPARE(window_->rateLimitsPage()->model()->rowCount(), 2);
    QTRY_COMPARE(window_->cachePoliciesPage()->model()->rowCount(), 1);
    QTRY_COMPARE(window_->upstreamsPage()->model()->rowCount(), 2);
    qInfo("screenshots in %s", qPrintable(dir_.path()));
  }

  void cleanupTestCase() { window_.reset(); }

  void theDashboardHasPlottedSeries() {
    const QImage image = shoot(MainWindow::Dashboard);
    QCOMPARE(image.size(), QSize(1280, 800) * window_->devicePixelRatio());
    QVERIFY2(distinctColours(image) > 100, qPrintable(QString::number(distinctColours(image))));
    for (TimeSeriesChart* chart : window_->dashboard()->charts()) {
      QTRY_VERIFY(chart->pointCount() == 300);
    }
    // Each chart draws its first series' colour inside its plot area.
    int index = 0;
    for (TimeSeriesChart* chart : window_->dashboard()->charts()) {
      const QImage picture = chart->grab().toImage();
      const QRect plot = chart->plotRect();
      QVERIFY2(plot.width() > 100 && plot.height() > 50,
               qPrintable(QString("chart %1 plot %2x%3").arg(index).arg(plot.width()).arg(plot.height())));
      const int plotted = pixelsNear(picture, plot, chart->seriesColor(0));
      QVERIFY2(plotted > 150, qPrintable(QString("chart %1: %2 plotted pixels").arg(index).arg(plotted)));
      ++index;
    }
    // The 5xx line is there too, in its own colour.
    TimeSeriesChart* requests = window_->dashboard()->requestsChart();
    QVERIFY(pixelsNear(requests->grab().toImage(), requests->plotRect(), requests->seriesColor(3)) > 100);
  }

  void hoveringAChartShowsTheValuesAtTheCursor() {
    window_->showPage(MainWindow::Dashboard);
    TimeSeriesChart* chart = window_->dashboard()->requestsChart();
    auto* view = chart->findChild<QGraphicsView*>();
    QVERIFY(view != nullptr);
    const QPoint middle = view->mapFrom(chart, chart->plotRect().center());
    QTest::mouseMove(view->viewport(), middle);
    QTRY_VERIFY(!chart->hoverText().isEmpty());
    QVERIFY(chart->hoverText().contains("2xx"));
    QVERIFY(chart->hoverText().contains("5xx"));
  }

  void theRouteFilterNarrowsChartsAndTiles() {
    window_->showPage(MainWindow::Dashboard);
    DashboardPage* dashboard = window_->dashboard();
    QTRY_VERIFY(dashboard->findChildren<QComboBox*>().size() >= 2);
    dashboard->setRouteFilter("api");
    QCOMPARE(dashboard->routeFilter(), QString("api"));
    const ScopeSeries* api = window_->feed()->store().scope("api");
    QVERIFY(api != nullptr);
    const double rps = api->valueAt(Metric::RequestsPerS, api->size() - 1);
    QCOMPARE(dashboard->tile(0)->value(), formatCount(rps));
    QCOMPARE(dashboard->requestsChart()->pointCount(), api->size());
    // The route has 3/4 of the node's traffic (makeSnapshot), so the tile shows less than the node's.
    const ScopeSeries* node = window_->feed()->store().scope();
    QVERIFY(rps < node->valueAt(Metric::RequestsPerS, node->size() - 1));
    dashboard->setRouteFilter({});
    QCOMPARE(dashboard->tile(0)->value(), formatCount(node->valueAt(Metric::RequestsPerS, node->size() - 1)));
  }

  void theLatencyChartSwitchesToALogScale() {
    window_->showPage(MainWindow::Dashboard);
    TimeSeriesChart* latency = window_->dashboard()->latencyChart();
    latency->setLogScale(true);
    QCoreApplication::processEvents();
    const int plotted = pixelsNear(latency->grab().toImage(), latency->plotRect(), latency->seriesColor(2));
    QVERIFY2(plotted > 100, qPrintable(QString::number(plotted)));
    latency->setLogScale(false);
  }

  void thePolicyAndUpstreamPagesAreDrawn() {
    for (int page :
         {int(MainWindow::RateLimits), int(MainWindow::CachePolicies), int(MainWindow::Upstreams)}) {
      const QImage image = shoot(page);
      QVERIFY2(
          distinctColours(image) > 40,
          qPrintable(QString("%1: %2 colours").arg(MainWindow::pageSlug(page)).arg(distinctColours(image))));
      QVERIFY(QFileInfo(dir_.filePath(QString("console-%1.png").arg(MainWindow::pageSlug(page)))).size() >
              5000);
    }
    // Tables show their rows.
    QVERIFY(window_->rateLimitsPage()->table()->isVisibleTo(window_.get()) ||
            window_->currentPage() != MainWindow::RateLimits);
  }
};

QTEST_MAIN(ScreenshotsTest)
#include "screenshots_test.moc"
