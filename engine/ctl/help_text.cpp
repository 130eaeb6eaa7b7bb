#include "engine/ctl/help_text.h"

namespace sluice::ctl {
namespace {

struct CommandHelp {
  std::string_view command;
  const char* text;
};

constexpr CommandHelp kHelp[] = {
    {"hello",
     "usage: sluice ctl hello\n"
     "\n"
     "The node's name, version, pid, uptime, config version and source, and who it thinks you are.\n"},
    {"stats",
     "usage: sluice ctl stats\n"
     "       sluice ctl stats --watch [--interval N] [--count N]\n"
     "       sluice ctl stats history [--seconds N]\n"
     "\n"
     "stats            the newest one-second snapshot: requests per second and per minute, latency\n"
     "                 p50/p95/p99, error and cache-hit shares, then tables per route, upstream server,\n"
     "                 rate limit and cache policy\n"
     "--watch          a new snapshot every second until Ctrl-C: redrawn in place on a terminal, one\n"
     "                 line per snapshot into a pipe or file (--json: one snapshot per line)\n"
     "--interval N     show every Nth second's snapshot (default 1)\n"
     "--count N        stop after N snapshots\n"
     "history          the snapshots the node kept, oldest first (--seconds N: the last N, at most 900)\n"},
    {"config",
     "usage: sluice ctl config get [--yaml]\n"
     "       sluice ctl config history\n"
     "       sluice ctl config rollback VERSION [--base-version N]\n"
     "\n"
     "get              the running config's text, after a comment line with its version and source\n"
     "                 (--yaml: the text only, as the file holds it)\n"
     "history          the kept versions (newest first): when, by which uid, what changed\n"
     "rollback VERSION makes the text of VERSION the running config again, as a new version\n"
     "--base-version N the version the edit is based on (default: the node's current one); a node\n"
     "                 whose config has changed since answers `conflict`\n"},
    {"rate-limits",
     "usage: sluice ctl rate-limits [list]\n"
     "       sluice ctl rate-limits set NAME key=value ... [--base-version N]\n"
     "       sluice ctl rate-limits set [NAME] --file POLICY.yaml|json [key=value ...]\n"
     "       sluice ctl rate-limits update NAME key=value ... [--base-version N]\n"
     "       sluice ctl rate-limits delete NAME [--base-version N]\n"
     "\n"
     "set replaces the policy NAME whole (or adds it): give every key it should have. update changes\n"
     "only the keys given and keeps the others as the node runs them. Keys are those\n"
     "of a rate_limits: entry in the config (docs/config-reference.md). Values: 100 is a number,\n"
     "true/false a boolean, a,b a list, anything else a string (1m, header:x-api-key); quote a value\n"
     "('100') to keep it a string. --file reads one entry (JSON or YAML); key=value words override it.\n"
     "\n"
     "  sluice ctl rate-limits set per_ip algorithm=token_bucket key=client_ip limit=100 window=1m burst=20\n"
     "  sluice ctl rate-limits update per_ip limit=200\n"
     "  sluice ctl rate-limits delete per_ip\n"
     "\n"
     "The change is validated like the config file, applied to all workers at once and written back\n"
     "to the file. A route that still uses a policy keeps it from being deleted.\n"},
    {"cache-policies",
     "usage: sluice ctl cache-policies [list]\n"
     "       sluice ctl cache-policies set NAME key=value ... [--base-version N]\n"
     "       sluice ctl cache-policies set [NAME] --file POLICY.yaml|json [key=value ...]\n"
     "       sluice ctl cache-policies update NAME key=value ... [--base-version N]\n"
     "       sluice ctl cache-policies delete NAME [--base-version N]\n"
     "\n"
     "As rate-limits, for cache_policies: entries (default_ttl, max_ttl, stale_while_revalidate,\n"
     "stale_if_error, max_object_size, lock_timeout).\n"
     "\n"
     "  sluice ctl cache-policies set short default_ttl=60s max_ttl=1h stale_if_error=5m\n"},
    {"routes",
     "usage: sluice ctl routes\n"
     "\n"
     "The routes in match order: host, path (a trailing * is a prefix), handler, upstream, cache\n"
     "policy and rate limits.\n"},
    {"upstreams",
     "usage: sluice ctl upstreams [list]\n"
     "       sluice ctl upstreams drain UPSTREAM SERVER\n"
     "       sluice ctl upstreams undrain UPSTREAM SERVER\n"
     "\n"
     "list             every upstream server: balance, state (up, down, drained), requests, failures\n"
     "drain            the server (host:port as configured) gets no new requests; requests in flight\n"
     "                 finish and its idle keep-alive connections close. Draining every server of an\n"
     "                 upstream makes its routes answer 503. Kept across reloads, not restarts.\n"
     "undrain          the server takes requests again\n"},
    {"cache",
     "usage: sluice ctl cache purge --url URL | --prefix P | --tag T | --all\n"
     "\n"
     "--url URL        the entry for that URL (http://host/path?query)\n"
     "--prefix P       every entry whose URL starts with P (http://host/path)\n"
     "--tag T          every entry the origin tagged T (Cache-Tag)\n"
     "--all            everything\n"},
};

}  // namespace

const char* ctlUsage() {
  return "usage: sluice ctl [--socket PATH] [--json] [--timeout S] COMMAND ...\n"
         "\n"
         "Talks to a running node over its control socket.\n"
         "\n"
         "commands:\n"
         "  hello                                    who and what the node is\n"
         "  stats [--watch [--interval N]]           live numbers (stats history [--seconds N]: the last 15 "
         "min)\n"
         "  config get [--yaml] | history | rollback VERSION\n"
         "  rate-limits [list] | set|update NAME key=value ... | delete NAME\n"
         "  cache-policies [list] | set|update NAME key=value ... | delete NAME\n"
         "  routes                                   the routes in match order\n"
         "  upstreams [list] | drain UPSTREAM SERVER | undrain UPSTREAM SERVER\n"
         "  cache purge --url URL | --prefix P | --tag T | --all\n"
         "\n"
         "options:\n"
         "  --socket PATH    the control socket (default: $SLUICE_SOCKET, else the node's default:\n"
         "                   /run/sluice/control.sock as root, else $XDG_RUNTIME_DIR/sluice/control.sock\n"
         "                   or /tmp/sluice-$UID/control.sock, falling back to /run/sluice/control.sock)\n"
         "  --json           print the node's raw result (or error) as one JSON line\n"
         "  --timeout S      seconds to wait for the node (default 5)\n"
         "  --help           this text; `sluice ctl COMMAND --help` for one command\n"
         "\n"
         "exit codes: 0 ok, 1 the node refused (error reply), 2 usage error, 3 no answer from the node\n"
         "(cannot connect, timed out, connection lost)\n";
}

const char* commandHelp(std::string_view command) {
  for (const CommandHelp& h : kHelp) {
    if (h.command == command) {
      return h.text;
    }
  }
  return nullptr;
}

}  // namespace sluice::ctl
