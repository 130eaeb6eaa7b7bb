// `sluice ctl hello` and `sluice ctl routes`: read-only views with no options.

#include <fmt/format.h>

#include "engine/ctl/commands.h"
#include "engine/ctl/human_units.h"
#include "engine/ctl/json_access.h"
#include "engine/ctl/table.h"

namespace sluice::ctl {

int cmdHello(Session& session, CtlArgs& args) {
  if (!args.finish()) {
    return session.usage("hello", args.error());
  }
  nlohmann::json r;
  if (int code = session.call("hello", nullptr, r); code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
    return kExitOk;
  }
  const nlohmann::json& uid = at(r, {"peer_uid"});
  std::string out = fmt::format(
      "node            {}\nversion         {}\npid             {}\nuptime          {}\nconfig version  {}\n"
      "config source   {}{}\nyou are uid     {}\n",
      text(r, {"node"}), text(r, {"version"}), cell(at(r, {"pid"})), formatSeconds(number(r, {"uptime_s"})),
      cell(at(r, {"config_version"})), text(r, {"config_source"}),
      boolean(r, {"persisted"}) ? "" : " (edits are not persisted)", cell(uid));
  std::fputs(out.c_str(), session.out());
  return kExitOk;
}

int cmdRoutes(Session& session, CtlArgs& args) {
  if (auto sub = args.next(); sub && *sub != "list") {
    return session.usage("routes", "unknown subcommand '" + *sub + "'");
  }
  if (!args.finish()) {
    return session.usage("routes", args.error());
  }
  nlohmann::json r;
  if (int code = session.call("routes.list", nullptr, r); code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
    return kExitOk;
  }
  Table table({{"ROUTE"}, {"HOST"}, {"PATH"}, {"HANDLER"}, {"UPSTREAM"}, {"CACHE"}, {"RATE LIMITS"}});
  const nlohmann::json& routes = at(r, {"routes"});
  if (routes.is_array()) {
    for (const auto& route : routes) {
      const std::string host = text(route, {"match", "host"});
      std::string path = text(route, {"match", "path_exact"});
      if (path.empty()) {
        const std::string prefix = text(route, {"match", "path_prefix"});
        path = prefix.empty() ? "*" : prefix + "*";  // a prefix matches what follows it
      }
      table.addRow({text(route, {"name"}), host.empty() ? "*" : host, path, text(route, {"handler"}),
                    cell(at(route, {"upstream"})), cell(at(route, {"cache"})),
                    cell(at(route, {"rate_limits"}))});
    }
  }
  std::fputs(table.render().c_str(), session.out());
  return kExitOk;
}

}  // namespace sluice::ctl
