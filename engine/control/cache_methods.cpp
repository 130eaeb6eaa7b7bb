#include "engine/control/cache_methods.h"

#include <array>

#include "engine/control/audit.h"
#include "engine/control/method_params.h"
#include "engine/filters/cache/cache_key.h"
#include "engine/log/logger.h"

namespace sluice::control {
namespace {

using filters::cache::PurgeKind;

struct PurgeRequest {
  PurgeKind kind = PurgeKind::All;
  const char* name = "all";
  std::string target;
};

constexpr std::array<std::pair<const char*, PurgeKind>, 3> kTargets{
    {{"url", PurgeKind::Url}, {"prefix", PurgeKind::Prefix}, {"tag", PurgeKind::Tag}}};

// Exactly one of url / prefix / tag (a non-empty string) or all (true).
bool readPurge(const nlohmann::json& params, PurgeRequest& out, ControlError& error) {
  int given = 0;
  for (const auto& [name, kind] : kTargets) {
    std::optional<std::string> value;
    if (!readString(params, name, value, error)) {
      return false;
    }
    if (value) {
      if (value->empty()) {
        error = badRequest(std::string("'") + name + "' is empty");
        return false;
      }
      ++given;
      out = PurgeRequest{kind, name, std::move(*value)};
    }
  }
  std::optional<bool> all;
  if (!readBool(params, "all", all, error)) {
    return false;
  }
  if (all) {
    if (!*all) {
      error = badRequest("'all' must be true when given");
      return false;
    }
    ++given;
    out = PurgeRequest{};
  }
  if (given != 1) {
    error = badRequest("give exactly one of 'url', 'prefix', 'tag' or 'all'");
    return false;
  }
  if ((out.kind == PurgeKind::Url || out.kind == PurgeKind::Prefix) &&
      !filters::cache::primaryKeyFromUrl(out.target)) {
    error = badRequest(std::string("'") + out.name + "' must be an http:// or https:// URL with a host");
    return false;
  }
  return true;
}

}  // namespace

void addCacheMethods(MethodTable& table, std::function<filters::cache::CacheServicePtr()> cache,
                     core::TaskQueuePtr loop_tasks) {
  table.add("cache.purge", [cache = std::move(cache), loop_tasks](const Peer& peer, const nlohmann::json& params,
                                                                   ResponderPtr reply) {
    PurgeRequest request;
    ControlError error;
    if (!readPurge(params, request, error)) {
      reply->fail(std::move(error));
      return;
    }
    filters::cache::CacheServicePtr service = cache();
    if (!service) {
      reply->fail(notFound("this node has no cache (no route uses a cache policy)"));
      return;
    }
    const std::string what = request.kind == PurgeKind::All
                                 ? std::string("cache.purge all")
                                 : "cache.purge " + std::string(request.name) + " " + request.target;
    audit(peer, what);
    // `done` runs on the store's writer thread: the answer goes back through the loop's queue. If
    // the queue is closed (shutdown), the task and the responder are dropped there, which the
    // responder tolerates (see session_responder.h).
    const bool started = service->purge(request.kind, request.target, [loop_tasks, reply, what](uint64_t removed) {
      loop_tasks->post([reply, what, removed] {
        log::info("control: {}: {} entries removed", what, removed);
        reply->ok({{"purged", removed}});
      });
    });
    if (!started) {
      reply->fail(badRequest("the purge target is not valid"));
    }
  });
}

}  // namespace sluice::control
