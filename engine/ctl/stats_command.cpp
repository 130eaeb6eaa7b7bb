// `sluice ctl stats [--watch [--interval N] [--count N]]` and `sluice ctl stats history [--seconds N]`.

#include <unistd.h>

#include <cmath>
#include <csignal>
#include <string>

#include "engine/ctl/commands.h"
#include "engine/ctl/json_access.h"
#include "engine/ctl/stats_view.h"

namespace sluice::ctl {
namespace {

volatile std::sig_atomic_t g_stop = 0;

void onStopSignal(int) {
  g_stop = 1;
}

// Ctrl-C (and SIGTERM) end the watch cleanly: the handler only sets a flag; without SA_RESTART the
// poll() waiting for the next snapshot returns EINTR, so the loop sees it at once.
void catchStopSignals() {
  struct sigaction sa {};
  sa.sa_handler = onStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// Each line ends with "erase to end of line" and the frame with "erase below": the new frame is
// written over the old one in one write, so a terminal never shows an empty screen (no flicker).
std::string terminalFrame(const std::string& text) {
  std::string frame = "\x1b[H";
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      nl = text.size();
    }
    frame.append(text, start, nl - start).append("\x1b[K\n");
    start = nl + 1;
  }
  frame += "\x1b[J";
  return frame;
}

int watch(Session& session, double interval_s, double count) {
  nlohmann::json r;
  if (int code = session.call("stats.subscribe", nullptr, r); code != kExitOk) {
    return code;
  }
  int code = kExitOk;
  ControlClient* client = session.client(code);
  const bool tty = !session.json() && ::isatty(::fileno(session.out())) == 1;
  const auto every = static_cast<uint64_t>(std::max(1.0, std::round(interval_s)));
  const auto limit = static_cast<uint64_t>(count);
  // Snapshots come once a second; allow the request timeout on top before giving up on the node.
  const auto wait = std::chrono::milliseconds(1000 + static_cast<int64_t>(session.timeoutSeconds() * 1000));
  catchStopSignals();
  if (tty) {
    std::fputs("\x1b[?25l\x1b[2J", session.out());  // hide the cursor, clear once
    std::fflush(session.out());
  }
  uint64_t seen = 0, shown = 0;
  while (g_stop == 0) {
    nlohmann::json event;
    bool timed_out = false;
    if (!client->nextEvent(event, wait, timed_out)) {
      if (g_stop != 0) {
        break;
      }
      if (timed_out) {
        std::fprintf(session.err(), "sluice ctl: %s: no stats from the node for %lld ms\n",
                     session.socketPath().c_str(), static_cast<long long>(wait.count()));
        code = kExitNoConnection;
        break;
      }
      if (!client->error().empty()) {
        std::fprintf(session.err(), "sluice ctl: %s: %s\n", session.socketPath().c_str(),
                     client->error().c_str());
        code = kExitNoConnection;
        break;
      }
      continue;  // another signal: keep watching
    }
    if (text(event, {"event"}) != "stats" || ++seen % every != 0) {
      continue;
    }
    const nlohmann::json& data = at(event, {"data"});
    if (session.json()) {
      session.printJson(data);
    } else if (tty) {
      std::fputs(terminalFrame(renderSnapshot(data)).c_str(), session.out());
    } else {
      std::fputs(renderSnapshotLine(data).c_str(), session.out());
    }
    std::fflush(session.out());
    if (limit > 0 && ++shown >= limit) {
      break;
    }
  }
  if (tty) {
    std::fputs("\x1b[?25h", session.out());  // the cursor back
    std::fflush(session.out());
  }
  return code;
}

int history(Session& session, CtlArgs& args) {
  const std::optional<double> seconds = args.number("--seconds");
  if (!args.finish()) {
    return session.usage("stats history", args.error());
  }
  nlohmann::json params = nlohmann::json::object();
  if (seconds) {
    params["seconds"] = static_cast<int64_t>(*seconds);
  }
  nlohmann::json r;
  if (int code = session.call("stats.history", params, r); code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
    return kExitOk;
  }
  std::fputs(renderHistory(at(r, {"snapshots"})).c_str(), session.out());
  return kExitOk;
}

}  // namespace

int cmdStats(Session& session, CtlArgs& args) {
  const bool watching = args.flag("--watch");
  const std::optional<double> interval = args.number("--interval");
  const std::optional<double> count = args.number("--count");
  std::optional<std::string> sub = args.next();
  if (sub && *sub == "history") {
    if (watching || interval || count) {
      return session.usage("stats history", "--watch, --interval and --count belong to `stats --watch`");
    }
    return history(session, args);
  }
  if (sub) {
    return session.usage("stats", "unknown subcommand '" + *sub + "'");
  }
  if (!args.finish()) {
    return session.usage("stats", args.error());
  }
  if ((interval || count) && !watching) {
    return session.usage("stats", "--interval and --count need --watch");
  }
  if (watching) {
    return watch(session, interval.value_or(1), count.value_or(0));
  }
  nlohmann::json r;
  if (int code = session.call("stats.get", nullptr, r); code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
  } else {
    std::fputs(renderSnapshot(r).c_str(), session.out());
  }
  return kExitOk;
}

}  // namespace sluice::ctl
