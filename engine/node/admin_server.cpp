#include "engine/node/admin_server.h"

#include <nlohmann/json.hpp>

#include "engine/core/tcp_stream.h"
#include "engine/filters/cache/cache_key.h"
#include "engine/http/query_params.h"
#include "engine/node/purge_handler.h"
#include "engine/server/fixed_response_handler.h"

namespace sluice::node {
namespace {

constexpr size_t kMaxAdminConnections = 64;

bool isLoopback(std::string_view ip) { return ip.starts_with("127.") || ip == "::1" || ip.starts_with("::ffff:127."); }

server::Dispatch jsonAnswer(server::ResponseSink& sink, int status, const std::string& message) {
  auto body = std::make_shared<std::string>(nlohmann::json{{"error", message}}.dump() + "\n");
  std::string_view view = *body;
  server::Dispatch d;
  d.body_limit = 1024;
  d.handler = std::make_unique<server::FixedResponseHandler>(sink, status, "application/json", view, std::move(body));
  return d;
}

}  // namespace

AdminServer::AdminServer(uv_loop_t* loop, Content content)
    : loop_(loop), content_(std::move(content)), reaper_(loop), tasks_(core::TaskQueue::create(loop)) {
  settings_.parser.max_header_size = 8 * 1024;
  settings_.parser.max_uri_size = 2 * 1024;
  settings_.header_timeout_ms = 5000;
  settings_.idle_timeout_ms = 30000;
}

AdminServer::~AdminServer() { close(); }

bool AdminServer::start(int fd, std::string& error) {
  listener_ = server::Listener::open(loop_, fd, "admin_http", [this](uv_stream_t* s) { onAccept(s); }, error);
  return listener_ != nullptr;
}

void AdminServer::close() {
  tasks_->close();
  if (listener_ != nullptr) {
    listener_->close();
    listener_ = nullptr;
  }
  std::vector<server::ClientConnection*> all(connections_.begin(), connections_.end());
  for (server::ClientConnection* c : all) {
    c->abort();
  }
}

void AdminServer::onAccept(uv_stream_t* server) {
  core::TcpStream* stream = core::TcpStream::create(loop_);
  if (stream->accept(server) != 0 || connections_.size() >= kMaxAdminConnections) {
    stream->close();
    return;
  }
  auto* c = new server::ClientConnection(loop_, stream, *this, *this);
  connections_.insert(c);
  c->start();
}

void AdminServer::connectionClosed(server::ClientConnection* connection) {
  connections_.erase(connection);
  reaper_.retire(std::unique_ptr<server::ClientConnection>(connection));
}

server::Dispatch AdminServer::dispatchPurge(const http::RequestHead& head, const server::RequestContext& context,
                                            server::ResponseSink& sink) {
  if (head.method != "POST") {
    return jsonAnswer(sink, 405, "use POST /cache/purge?url=URL | prefix=URL | tag=TAG | all");
  }
  if (!isLoopback(context.client_ip)) {
    return jsonAnswer(sink, 403, "cache purge is allowed from loopback clients only");
  }
  filters::cache::CacheServicePtr cache = content_.cache ? content_.cache() : nullptr;
  if (!cache) {
    return jsonAnswer(sink, 503, "no route uses a cache policy: there is no cache to purge");
  }
  using filters::cache::PurgeKind;
  constexpr std::pair<const char*, PurgeKind> kKinds[] = {
      {"url", PurgeKind::Url}, {"prefix", PurgeKind::Prefix}, {"tag", PurgeKind::Tag}, {"all", PurgeKind::All}};
  int given = 0;
  PurgeKind kind = PurgeKind::All;
  std::string target;
  for (const auto& [name, k] : kKinds) {
    if (std::optional<std::string> value = http::queryParam(head.query, name)) {
      ++given;
      kind = k;
      target = std::move(*value);
    }
  }
  if (given != 1) {
    return jsonAnswer(sink, 400, "give exactly one of url=, prefix=, tag= or all");
  }
  if (kind != PurgeKind::All && target.empty()) {
    return jsonAnswer(sink, 400, "the purge target is empty");
  }
  if ((kind == PurgeKind::Url || kind == PurgeKind::Prefix) &&
      !filters::cache::primaryKeyFromUrl(target)) {
    return jsonAnswer(sink, 400, "'" + target + "' is not an http:// or https:// URL with a host");
  }
  server::Dispatch d;
  d.body_limit = 1024;
  d.handler = std::make_unique<PurgeHandler>(sink, tasks_, std::move(cache), kind, std::move(target));
  return d;
}

server::Dispatch AdminServer::dispatch(const http::RequestHead& head, server::RequestContext& context,
                                       server::ResponseSink& sink) {
  if (head.path == "/cache/purge") {
    return dispatchPurge(head, context, sink);
  }
  server::Dispatch d;
  d.body_limit = 1024;
  if (head.method != "GET" && head.method != "HEAD") {
    d.error_status = 405;
    return d;
  }
  std::shared_ptr<std::string> body;
  const char* type = "text/plain; charset=utf-8";
  int status = 200;
  if (head.path == "/healthz") {
    const bool draining = content_.draining && content_.draining();
    status = draining ? 503 : 200;
    body = std::make_shared<std::string>(draining ? "draining\n" : "ok\n");
  } else if (head.path == "/metrics") {
    body = std::make_shared<std::string>(content_.metrics());
    type = "text/plain; version=0.0.4; charset=utf-8";
  } else if (head.path == "/stats") {
    body = std::make_shared<std::string>(content_.stats_json());
    type = "application/json";
  } else {
    d.error_status = 404;
    return d;
  }
  std::string_view view = *body;
  d.handler = std::make_unique<server::FixedResponseHandler>(sink, status, type, view, std::move(body));
  return d;
}

}  // namespace sluice::node
