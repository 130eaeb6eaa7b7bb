#pragma once
// The response cache as one worker sees it: its store Reader (one LMDB read txn, renewed per lookup
// and reset right after: never held across an async boundary), the lookup and the decision for each
// request on a cached route, the requests waiting for another request's fetch, and the background
// refreshes it runs. Created once per worker when the node has a cache, destroyed when the worker
// stops. Worker thread only (the store and the flight table it uses are thread-safe).
//
// The hit path makes no allocation in steady state and copies the body once at most: from the map
// into the socket (ClientConnection writes head and body with one writev and copies only what the
// socket did not take).

#include <uv.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/core/reaper.h"
#include "engine/core/task_queue.h"
#include "engine/filters/cache/cache_route.h"
#include "engine/filters/cache/cache_service.h"
#include "engine/filters/cache/cache_status.h"
#include "engine/http/message_head.h"
#include "engine/server/dispatcher.h"
#include "storage/reader.h"

namespace sluice::filters::cache {

class CacheFillHandler;
class CacheWaitHandler;
struct FillPlan;

class WorkerCache {
 public:
  WorkerCache(uv_loop_t* loop, CacheServicePtr service, core::TaskQueuePtr tasks, core::Reaper& reaper);
  ~WorkerCache();
  WorkerCache(const WorkerCache&) = delete;
  WorkerCache& operator=(const WorkerCache&) = delete;

  const CacheServicePtr& service() const { return service_; }

  // A request on a route with a cache policy: answered from the store, or a handler that fetches.
  server::Dispatch dispatch(const http::RequestHead& head, server::RequestContext& context, server::ResponseSink& sink,
                            const CacheRoutePtr& route);

  // Stops the background refreshes (the worker is stopping).
  void shutdown();

  // For the handlers.
  uv_loop_t* loop() const { return loop_; }
  const core::TaskQueuePtr& tasks() const { return tasks_; }
  FlightTable& flights() { return service_->flights(); }
  static int64_t nowSeconds();
  // Queues `entry` (key and record) for the store; lookups see it at once. False when dropped.
  bool put(const FlightResultPtr& entry, uint64_t reclaim_at_ms, std::vector<std::string> tags);
  void invalidate(std::string key_prefix);
  // Answers `head` from an encoded record (a client conditional may turn it into a 304); finishes
  // the response.
  void answerFromRecord(const http::RequestHead& head, server::ResponseSink& sink, std::string_view record,
                        CacheStatus status);
  // The handler a request gets when it fetches from the origin (leading a flight or not).
  std::unique_ptr<CacheFillHandler> makeFill(const CacheRoutePtr& route, FillPlan plan, const http::RequestHead& head,
                                             server::RequestContext& context, server::ResponseSink& sink);
  void backgroundDone(CacheFillHandler* handler);

 private:
  struct Background;

  // Serves a found entry; false when it cannot be used and the request must go to the origin
  // (then `plan` says how).
  bool serveFound(const http::RequestHead& head, server::ResponseSink& sink, const CacheRoute& route,
                  std::string_view record, const CacheControl& request_cc, FillPlan& plan, bool& answered);
  // The stored bytes for `key`, from LMDB (valid while `view` lives) or from the writes not yet
  // committed (held by `pending`); empty when there is none.
  std::string_view lookup(const std::string& key, storage::ReadView& view, FlightResultPtr& pending);
  void startBackgroundRefresh(const http::RequestHead& head, const server::RequestContext& context,
                              const CacheRoutePtr& route, FillPlan plan);

  static constexpr size_t kMaxBackground = 1024;  // refreshes running on this worker at once
  server::Dispatch fetch(const http::RequestHead& head, server::RequestContext& context, server::ResponseSink& sink,
                         const CacheRoutePtr& route, FillPlan plan, bool coalesce);

  uv_loop_t* loop_;
  CacheServicePtr service_;
  core::TaskQueuePtr tasks_;
  core::Reaper& reaper_;
  std::unique_ptr<storage::Reader> reader_;  // null if LMDB had no reader slot: every lookup misses
  std::string key_;                          // scratch: the key being looked up
  std::string scratch_;                      // scratch: head lines of a stored response
  std::unordered_map<CacheFillHandler*, std::unique_ptr<Background>> background_;
};

using WorkerCachePtr = std::unique_ptr<WorkerCache>;

}  // namespace sluice::filters::cache
