#include "engine/node/admin_server.h"

#include "engine/server/fixed_response_handler.h"

namespace sluice::node {
namespace {

constexpr size_t kMaxAdminConnections = 64;

}  // namespace

AdminServer::AdminServer(uv_loop_t* loop, Content content)
    : loop_(loop), content_(std::move(content)), reaper_(loop) {
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

server::Dispatch AdminServer::dispatch(const http::RequestHead& head, server::RequestContext&,
                                       server::ResponseSink& sink) {
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
