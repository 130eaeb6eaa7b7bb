// `sluice ctl rate-limits|cache-policies [list] | set NAME [key=value ...] [--file F] | delete NAME`,
// with `--base-version N` on edits. Both kinds of policy work alike; only the names differ.

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

#include "engine/ctl/commands.h"
#include "engine/ctl/json_access.h"
#include "engine/ctl/policy_args.h"
#include "engine/ctl/table.h"

namespace sluice::ctl {
namespace {

struct PolicyKind {
  const char* command;  // "rate-limits"
  const char* prefix;   // "rate_limits" (methods: prefix + ".list" ...)
  const char* noun;     // "rate limit"
  // Table columns come in this order (docs/config-reference.md); keys not listed follow, sorted.
  std::initializer_list<const char*> key_order;
};

const PolicyKind kRateLimits{
    "rate-limits",
    "rate_limits",
    "rate limit",
    {"algorithm", "key", "limit", "window", "burst", "mode", "headers", "fallback", "missing_key_status",
     "ipv4_prefix", "ipv6_prefix", "max_in_flight", "in_flight_status"}};
const PolicyKind kCachePolicies{"cache-policies",
                                "cache_policies",
                                "cache policy",
                                {"default_ttl", "max_ttl", "stale_while_revalidate", "stale_if_error",
                                 "max_object_size", "lock_timeout"}};

std::string method(const PolicyKind& kind, const char* verb) {
  return std::string(kind.prefix) + "." + verb;
}

std::string editedNote(const nlohmann::json& r) {
  std::string note = "config version " + cell(at(r, {"version"}));
  if (at(r, {"persisted"}).is_boolean() && !boolean(r, {"persisted"})) {
    note += " (not written to a file: the node runs without --config)";
  }
  return note;
}

int list(const PolicyKind& kind, Session& session, CtlArgs& args) {
  const std::string command = std::string(kind.command) + " list";
  if (!args.finish()) {
    return session.usage(command, args.error());
  }
  nlohmann::json r;
  if (int code = session.call(method(kind, "list"), nullptr, r); code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
    return kExitOk;
  }
  const nlohmann::json& policies = at(r, {"policies"});
  // Columns: only the keys some policy sets, known ones in the reference's order, then ROUTES.
  std::set<std::string> used;
  if (policies.is_array()) {
    for (const auto& p : policies) {
      if (p.is_object()) {
        for (auto it = p.begin(); it != p.end(); ++it) {
          used.insert(it.key());
        }
      }
    }
  }
  used.erase("name");
  used.erase("routes");
  std::vector<std::string> keys;
  for (const char* k : kind.key_order) {
    if (used.erase(k) > 0) {
      keys.push_back(k);
    }
  }
  keys.insert(keys.end(), used.begin(), used.end());
  std::vector<Table::Column> columns{{"NAME"}};
  for (const std::string& k : keys) {
    std::string header;
    for (char c : k) {
      header += c == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    columns.push_back({header, Table::Align::Left});
  }
  columns.push_back({"ROUTES"});
  Table table(std::move(columns));
  if (policies.is_array()) {
    for (const auto& p : policies) {
      std::vector<std::string> row{text(p, {"name"})};
      for (const std::string& k : keys) {
        const nlohmann::json& v = at(p, {k.c_str()});
        row.push_back(v.is_null() ? "" : cell(v));
      }
      row.push_back(cell(at(p, {"routes"})));
      table.addRow(std::move(row));
    }
  }
  std::fprintf(session.out(), "config version %s\n", cell(at(r, {"version"})).c_str());
  std::fputs(table.render().c_str(), session.out());
  return kExitOk;
}

bool readFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  return true;
}

// The policy `name` as the node runs it now (without the list's `routes`), and the config version
// it belongs to; an exit code other than kExitOk when it cannot be read or does not exist.
int currentPolicy(const PolicyKind& kind, Session& session, const std::string& name, nlohmann::json& entry,
                  int64_t& version) {
  nlohmann::json r;
  if (int code = session.call(method(kind, "list"), nlohmann::json::object(), r); code != kExitOk) {
    return code;
  }
  if (r.contains("version") && r["version"].is_number_integer()) {
    version = r["version"].get<int64_t>();
  }
  if (r.contains("policies") && r["policies"].is_array()) {
    for (const nlohmann::json& p : r["policies"]) {
      if (p.is_object() && p.contains("name") && p["name"] == name) {
        entry = p;
        entry.erase("routes");
        return kExitOk;
      }
    }
  }
  std::fprintf(stderr, "sluice ctl: not_found: no %s named '%s' (use set to add one)\n", kind.noun, name.c_str());
  return kExitErrorReply;
}

// set replaces the policy whole; update (merge = true) changes only the keys given, on top of the
// policy as the node runs it, and bases the edit on the version that listing came from.
int set(const PolicyKind& kind, Session& session, CtlArgs& args, bool merge) {
  const std::string command = std::string(kind.command) + (merge ? " update" : " set");
  const std::optional<double> base = args.number("--base-version");
  const std::optional<std::string> file = args.option("--file");
  const std::optional<std::string> name = args.next();
  std::vector<std::string> words;
  while (std::optional<std::string> w = args.next()) {
    words.push_back(*w);
  }
  if (!args.finish()) {
    return session.usage(command, args.error());
  }
  nlohmann::json policy = nlohmann::json::object();
  std::string error;
  if (file) {
    std::string text;
    if (!readFile(*file, text)) {
      return session.usage(command, "cannot read " + *file + ": " + std::strerror(errno));
    }
    std::optional<nlohmann::json> parsed = parsePolicyText(text, error);
    if (!parsed) {
      return session.usage(command, *file + ": " + error);
    }
    policy = std::move(*parsed);
  }
  // NAME is the first word unless it is already key=value (a file may name the policy itself).
  std::vector<std::string> assignments = words;
  if (name) {
    if (name->find('=') != std::string::npos) {
      assignments.insert(assignments.begin(), *name);
    } else {
      policy["name"] = *name;
    }
  }
  std::optional<nlohmann::json> built = parsePolicyArgs(assignments, std::move(policy), error);
  if (!built) {
    return session.usage(command, error);
  }
  policy = std::move(*built);
  if (!policy.contains("name") || !policy["name"].is_string() || policy["name"].get<std::string>().empty()) {
    return session.usage(command, "which policy? give NAME (or name= in --file)");
  }
  if (policy.size() < 2) {
    return session.usage(command, merge ? "nothing to change: give key=value words or --file"
                                        : "nothing to set: give key=value words or --file (the policy is "
                                          "replaced whole, so give all its keys; update changes some)");
  }
  int64_t base_version = 0;
  if (merge) {
    nlohmann::json current;
    int64_t listed_version = 0;
    if (int code = currentPolicy(kind, session, policy["name"].get<std::string>(), current, listed_version);
        code != kExitOk) {
      return code;
    }
    for (auto& [key, value] : policy.items()) {
      current[key] = value;
    }
    policy = std::move(current);
    base_version = base ? static_cast<int64_t>(*base) : listed_version;
  } else if (int code = session.baseVersion(base, base_version); code != kExitOk) {
    return code;
  }
  nlohmann::json r;
  const std::string policy_name = policy["name"].get<std::string>();
  if (int code = session.call(method(kind, "set"),
                              {{"base_version", base_version}, {"policy", std::move(policy)}}, r);
      code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
    return kExitOk;
  }
  std::fprintf(session.out(), "%s %s %s: %s\n", kind.noun, policy_name.c_str(),
               boolean(r, {"created"}) ? "created" : "replaced", editedNote(r).c_str());
  return kExitOk;
}

int remove(const PolicyKind& kind, Session& session, CtlArgs& args) {
  const std::string command = std::string(kind.command) + " delete";
  const std::optional<double> base = args.number("--base-version");
  const std::optional<std::string> name = args.next();
  if (!args.finish()) {
    return session.usage(command, args.error());
  }
  if (!name) {
    return session.usage(command, "which policy? give NAME");
  }
  int64_t base_version = 0;
  if (int code = session.baseVersion(base, base_version); code != kExitOk) {
    return code;
  }
  nlohmann::json r;
  if (int code = session.call(method(kind, "delete"), {{"base_version", base_version}, {"name", *name}}, r);
      code != kExitOk) {
    return code;
  }
  if (session.json()) {
    session.printJson(r);
    return kExitOk;
  }
  std::fprintf(session.out(), "%s %s deleted: %s\n", kind.noun, name->c_str(), editedNote(r).c_str());
  return kExitOk;
}

int policies(const PolicyKind& kind, Session& session, CtlArgs& args) {
  const std::optional<std::string> sub = args.next();
  if (!sub || *sub == "list") {
    return list(kind, session, args);
  }
  if (*sub == "set" || *sub == "update") {
    return set(kind, session, args, *sub == "update");
  }
  if (*sub == "delete") {
    return remove(kind, session, args);
  }
  return session.usage(kind.command, "unknown subcommand '" + *sub + "'");
}

}  // namespace

int cmdRateLimits(Session& session, CtlArgs& args) {
  return policies(kRateLimits, session, args);
}
int cmdCachePolicies(Session& session, CtlArgs& args) {
  return policies(kCachePolicies, session, args);
}

}  // namespace sluice::ctl
