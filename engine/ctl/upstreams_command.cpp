// `sluice ctl upstreams [list] | drain UPSTREAM SERVER | undrain UPSTREAM SERVER` and
// `sluice ctl cache purge --url URL | --prefix P | --tag T | --all`.

#include "engine/ctl/commands.h"
#include "engine/ctl/human_units.h"
#include "engine/ctl/json_access.h"
#include "engine/ctl/table.h"

namespace sluice::ctl {
namespace {

int list(Session& session, CtlArgs& args) {
  if (!args.finish()) {
    return session.usage("upstreams", args.error());
  }
  nlohmann::json r;
  if (int code = session.call("upstreams.list", nullptr, r); code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
    return kExitOk;
  }
  Table table({{"UPSTREAM"},
               {"BALANCE"},
               {"SERVER"},
               {"STATE"},
               {"HEALTH"},
               {"BREAKER"},
               {"REQUESTS", Table::Align::Right},
               {"FAILURES", Table::Align::Right}});
  const nlohmann::json& upstreams = at(r, {"upstreams"});
  if (upstreams.is_array()) {
    for (const auto& u : upstreams) {
      const nlohmann::json& servers = at(u, {"servers"});
      if (!servers.is_array()) {
        continue;
      }
      for (const auto& s : servers) {
        const bool drained = boolean(s, {"drained"}), down = boolean(s, {"down"});
        table.addRow({text(u, {"name"}), text(u, {"balance"}), text(s, {"address"}),
                      drained && down ? "drained,down"
                      : drained       ? "drained"
                      : down          ? "down"
                                      : "up",
                      // Active checks: up, down or unchecked (no health_check configured).
                      text(s, {"health"}),
                      // Breakers are per worker: how many of them hold this server's open.
                      number(s, {"breaker_open_workers"}) > 0
                          ? "open (" + formatCount(number(s, {"breaker_open_workers"})) + " workers)"
                          : "closed",
                      formatCount(number(s, {"requests_total"})),
                      formatCount(number(s, {"failures_total"}))});
      }
    }
  }
  std::fputs(table.render().c_str(), session.out());
  return kExitOk;
}

int drain(Session& session, CtlArgs& args, bool drained) {
  const std::string command = drained ? "upstreams drain" : "upstreams undrain";
  const std::optional<std::string> upstream = args.next();
  const std::optional<std::string> server = args.next();
  if (!args.finish()) {
    return session.usage(command, args.error());
  }
  if (!upstream || !server) {
    return session.usage(command,
                         "give UPSTREAM and SERVER (host:port as configured; see sluice ctl upstreams)");
  }
  nlohmann::json r;
  if (int code = session.call(drained ? "upstreams.drain" : "upstreams.undrain",
                              {{"upstream", *upstream}, {"server", *server}}, r);
      code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
    return kExitOk;
  }
  std::fprintf(
      session.out(), "%s %s: %s\n", upstream->c_str(), server->c_str(),
      drained ? "drained (no new requests; requests in flight finish)" : "undrained (serving again)");
  return kExitOk;
}

}  // namespace

int cmdUpstreams(Session& session, CtlArgs& args) {
  const std::optional<std::string> sub = args.next();
  if (!sub || *sub == "list") {
    return list(session, args);
  }
  if (*sub == "drain" || *sub == "undrain") {
    return drain(session, args, *sub == "drain");
  }
  return session.usage("upstreams", "unknown subcommand '" + *sub + "'");
}

int cmdCache(Session& session, CtlArgs& args) {
  const std::optional<std::string> sub = args.next();
  if (!sub || *sub != "purge") {
    return session.usage("cache", sub ? "unknown subcommand '" + *sub + "'" : "what? (cache purge ...)");
  }
  nlohmann::json params = nlohmann::json::object();
  for (const char* key : {"url", "prefix", "tag"}) {
    if (std::optional<std::string> v = args.option(std::string("--") + key)) {
      params[key] = *v;
    }
  }
  if (args.flag("--all")) {
    params["all"] = true;
  }
  if (!args.finish()) {
    return session.usage("cache purge", args.error());
  }
  if (params.size() != 1) {
    return session.usage("cache purge", "give exactly one of --url URL, --prefix P, --tag T, --all");
  }
  nlohmann::json r;
  if (int code = session.call("cache.purge", params, r); code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
    return kExitOk;
  }
  const double purged = number(r, {"purged"});
  std::fprintf(session.out(), "purged %s %s\n", cell(at(r, {"purged"})).c_str(),
               purged == 1 ? "entry" : "entries");
  return kExitOk;
}

}  // namespace sluice::ctl
