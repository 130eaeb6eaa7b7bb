#include "engine/server/listener.h"

#include <unistd.h>

namespace sluice::server {

Listener* Listener::open(uv_loop_t* loop, int fd, std::string name, AcceptCallback on_accept, std::string& error) {
  auto* l = new Listener(std::move(name), std::move(on_accept));
  uv_tcp_init(loop, &l->handle_);
  l->handle_.data = l;
  int rc = uv_tcp_open(&l->handle_, fd);
  if (rc == 0) {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(&l->handle_), 4096, [](uv_stream_t* server, int status) {
      auto* self = static_cast<Listener*>(server->data);
      if (status == 0 && self->on_accept_) {
        self->on_accept_(server);
      }
    });
  }
  if (rc != 0) {
    error = uv_strerror(rc);
    l->close();
    return nullptr;
  }
  return l;
}

void Listener::close() {
  on_accept_ = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_), [](uv_handle_t* h) { delete static_cast<Listener*>(h->data); });
}

}  // namespace sluice::server
