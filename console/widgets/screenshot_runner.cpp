#include "console/widgets/screenshot_runner.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDir>
#include <QPixmap>
#include <QTimer>
#include <cstdio>

#include "console/widgets/dashboard_page.h"
#include "console/widgets/main_window.h"

namespace sluice::console {

namespace {
// Time for a page's first layout and chart redraw after it is shown.
constexpr int kSettleMs = 600;
}  // namespace

ScreenshotRunner::ScreenshotRunner(MainWindow* window, const QString& directory, int delay_s)
    : QObject(window), window_(window), directory_(directory) {
  QDir().mkpath(directory_);
  QTimer::singleShot(delay_s * 1000, this, [this]() { shoot(0); });
}

bool ScreenshotRunner::startFromEnvironment(MainWindow* window) {
  const QString directory = qEnvironmentVariable("SLUICE_CONSOLE_SCREENSHOTS");
  if (directory.isEmpty()) {
    return false;
  }
  bool ok = false;
  int delay = qEnvironmentVariableIntValue("SLUICE_CONSOLE_SCREENSHOTS_AFTER", &ok);
  new ScreenshotRunner(window, directory, ok ? delay : 20);
  // A short run of load fills a 1-minute window; the default 5 would leave the charts mostly empty.
  const int window_s = qEnvironmentVariableIntValue("SLUICE_CONSOLE_SCREENSHOTS_WINDOW", &ok);
  if (ok) {
    window->dashboard()->setWindowSeconds(window_s);
  }
  if (qEnvironmentVariableIntValue("SLUICE_CONSOLE_SCREENSHOTS_LOG") == 1) {
    window->dashboard()->logScaleBox()->setChecked(true);
  }
  return true;
}

void ScreenshotRunner::shoot(int page) {
  if (page >= MainWindow::PageCount) {
    QCoreApplication::quit();
    return;
  }
  window_->showPage(page);
  QTimer::singleShot(kSettleMs, this, [this, page]() {
    const QString path =
        QDir(directory_).filePath(QStringLiteral("console-%1.png").arg(MainWindow::pageSlug(page)));
    const bool saved = window_->grab().save(path);
    std::fprintf(stderr, "sluice-console: %s %s\n", saved ? "saved" : "could not save", qPrintable(path));
    shoot(page + 1);
  });
}

}  // namespace sluice::console
