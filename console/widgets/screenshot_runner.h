#pragma once
// A developer option for the docs (scripts/console-screenshots.sh): with the environment variable
// SLUICE_CONSOLE_SCREENSHOTS=DIR the console waits SLUICE_CONSOLE_SCREENSHOTS_AFTER seconds (default
// 20; SLUICE_CONSOLE_SCREENSHOTS_WINDOW sets the dashboard's window in seconds: 60, 300 or 900;
// SLUICE_CONSOLE_SCREENSHOTS_LOG=1 turns on the latency chart's log scale), then
// shows each page in turn, saves it as DIR/console-PAGE.png and quits. Owned by the window
// it shoots. GUI thread.

#include <QObject>
#include <QString>

namespace sluice::console {

class MainWindow;

class ScreenshotRunner : public QObject {
  Q_OBJECT

 public:
  ScreenshotRunner(MainWindow* window, const QString& directory, int delay_s);
  // Starts a runner when the environment asks for one; returns whether it did.
  static bool startFromEnvironment(MainWindow* window);

 private:
  void shoot(int page);

  MainWindow* window_;
  QString directory_;
};

}  // namespace sluice::console
