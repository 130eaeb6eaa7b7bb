#include "engine/node/purge_handler.h"

#include <nlohmann/json.hpp>

#include "engine/log/logger.h"

namespace sluice::node {
namespace {

const char* kindName(filters::cache::PurgeKind kind) {
  switch (kind) {
    case filters::cache::PurgeKind::Url:
      return "url";
    case filters::cache::PurgeKind::Prefix:
      return "prefix";
    case filters::cache::PurgeKind::Tag:
      return "tag";
    case filters::cache::PurgeKind::All:
      return "all";
  }
  return "?";
}

}  // namespace

PurgeHandler::PurgeHandler(server::ResponseSink& sink, core::TaskQueuePtr loop_tasks,
                           filters::cache::CacheServicePtr cache, filters::cache::PurgeKind kind, std::string target)
    : sink_(sink), loop_tasks_(std::move(loop_tasks)), cache_(std::move(cache)), kind_(kind),
      target_(std::move(target)) {}

PurgeHandler::~PurgeHandler() { *alive_ = false; }

void PurgeHandler::onRequestComplete() {
  // The handler is owned by the connection; the completion finds it through `alive_` only.
  auto alive = alive_;
  PurgeHandler* self = this;
  core::TaskQueuePtr tasks = loop_tasks_;
  const bool started = cache_->purge(kind_, target_, [alive, self, tasks](uint64_t removed) {
    tasks->post([alive, self, removed] {
      if (*alive) {
        self->answer(removed);
      }
    });
  });
  if (!started) {
    sink_.sendError(400);
  }
}

void PurgeHandler::answer(uint64_t removed) {
  log::info("cache purge {} {}: {} entries removed", kindName(kind_), target_, removed);
  nlohmann::json j;
  j["purged"] = removed;
  j["kind"] = kindName(kind_);
  if (kind_ != filters::cache::PurgeKind::All) {
    j["target"] = target_;
  }
  body_ = j.dump() + "\n";
  server::ResponseStart start;
  start.status = 200;
  start.extra_lines = "Content-Type: application/json\r\n";
  start.has_content_length = true;
  start.content_length = body_.size();
  sink_.startResponse(start);
  sink_.sendBody(body_.data(), body_.size());
  *alive_ = false;
  sink_.finishResponse();
}

}  // namespace sluice::node
