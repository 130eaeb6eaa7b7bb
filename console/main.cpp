// sluice-console [--socket PATH]: the desktop console of a Sluice node (docs/user-guide.md,
// "Console"). Connects at once (retrying with backoff while the node is away); File > Connect
// changes the socket.

#include <QApplication>
#include <QCommandLineParser>

#include "console/client/control_client.h"
#include "console/widgets/connect_dialog.h"
#include "console/widgets/main_window.h"
#include "console/widgets/screenshot_runner.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("sluice"));
  QApplication::setApplicationName(QStringLiteral("sluice-console"));
  QApplication::setApplicationVersion(QStringLiteral(SLUICE_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Watches and edits a running Sluice node over its control socket."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption socket(
      QStringList{QStringLiteral("s"), QStringLiteral("socket")},
      QStringLiteral("The node's control socket (default: the remembered one, else "
                     "the node's default path)."),
      QStringLiteral("PATH"));
  parser.addOption(socket);
  parser.process(app);

  sluice::console::ControlClient client;
  sluice::console::MainWindow window(&client);
  window.show();
  client.connectTo(sluice::console::ConnectDialog::initialSocketPath(parser.value(socket)));
  sluice::console::ScreenshotRunner::startFromEnvironment(&window);
  return QApplication::exec();
}
