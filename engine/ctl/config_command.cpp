// `sluice ctl config get [--yaml] | history | rollback VERSION [--base-version N]`.

#include <fmt/format.h>

#include "engine/ctl/commands.h"
#include "engine/ctl/json_access.h"
#include "engine/ctl/table.h"

namespace sluice::ctl {
namespace {

int get(Session& session, CtlArgs& args) {
  const bool yaml_only = args.flag("--yaml");
  if (!args.finish()) {
    return session.usage("config get", args.error());
  }
  nlohmann::json r;
  if (int code = session.call("config.get", nullptr, r); code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
    return kExitOk;
  }
  std::string yaml = text(r, {"yaml"});
  if (!yaml.empty() && yaml.back() != '\n') {
    yaml += '\n';
  }
  if (!yaml_only) {
    // A YAML comment, so the whole output is still a valid config file.
    std::fprintf(session.out(), "# config version %s from %s%s\n", cell(at(r, {"version"})).c_str(),
                 text(r, {"source"}).c_str(), boolean(r, {"persisted"}) ? "" : " (edits are not persisted)");
  }
  std::fputs(yaml.c_str(), session.out());
  return kExitOk;
}

int history(Session& session, CtlArgs& args) {
  if (!args.finish()) {
    return session.usage("config history", args.error());
  }
  nlohmann::json r;
  if (int code = session.call("config.history", nullptr, r); code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
    return kExitOk;
  }
  Table table({{"VERSION", Table::Align::Right}, {"TIME"}, {"UID", Table::Align::Right}, {"WHAT"}});
  const nlohmann::json& versions = at(r, {"versions"});
  if (versions.is_array()) {
    for (const auto& v : versions) {
      table.addRow({cell(at(v, {"version"})), text(v, {"time"}), cell(at(v, {"uid"})), text(v, {"what"})});
    }
  }
  std::fputs(table.render().c_str(), session.out());
  return kExitOk;
}

int rollback(Session& session, CtlArgs& args) {
  const std::optional<double> base = args.number("--base-version");
  const std::optional<std::string> version = args.next();
  if (!args.finish()) {
    return session.usage("config rollback", args.error());
  }
  if (!version) {
    return session.usage("config rollback", "which VERSION? (see sluice ctl config history)");
  }
  char* end = nullptr;
  const long long v = std::strtoll(version->c_str(), &end, 10);
  if (version->empty() || *end != '\0' || v < 0) {
    return session.usage("config rollback", "VERSION must be a number, not '" + *version + "'");
  }
  int64_t base_version = 0;
  if (int code = session.baseVersion(base, base_version); code != kExitOk) {
    return code;
  }
  nlohmann::json r;
  if (int code = session.call("config.rollback", {{"base_version", base_version}, {"version", v}}, r);
      code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
    return kExitOk;
  }
  std::fprintf(session.out(), "config version %s runs the text of version %lld\n",
               cell(at(r, {"version"})).c_str(), v);
  return kExitOk;
}

}  // namespace

int cmdConfig(Session& session, CtlArgs& args) {
  const std::optional<std::string> sub = args.next();
  if (!sub || *sub == "get") {
    return get(session, args);
  }
  if (*sub == "history") {
    return history(session, args);
  }
  if (*sub == "rollback") {
    return rollback(session, args);
  }
  return session.usage("config", "unknown subcommand '" + *sub + "'");
}

}  // namespace sluice::ctl
