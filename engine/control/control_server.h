#pragma once
// The control socket (docs/control-protocol.md): a uv_pipe_t listener on the control thread's loop
// (the Node's), the sessions of the attached clients, and the stats stream to the subscribed ones.
// Owns the listening handle and every ControlSession; all on the control thread.
//
// Start-up is two steps: bind() early, while the process has a single thread (see socket_file.h),
// and listen() once the methods are in the table. Each accepted peer is checked with SO_PEERCRED
// against the PeerPolicy and the client limit; a refused one gets one `forbidden` line and is closed.
// close() stops accepting, closes every session and removes the socket file; the object must live
// until the loop has run the close callbacks (the Node destroys it after its loop ends).

#include <uv.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/control/control_method.h"
#include "engine/control/control_session.h"
#include "engine/control/peer_policy.h"
#include "engine/control/socket_file.h"

namespace sluice::control {

class ControlServer final : public SessionOwner {
 public:
  static constexpr int kBacklog = 128;

  // `methods` must outlive the server; it may still be filled in until listen().
  ControlServer(uv_loop_t* loop, const MethodTable& methods, PeerPolicy policy);
  ~ControlServer() override;
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  bool bind(const std::string& path, std::optional<gid_t> group, std::string& error);
  // Binary upgrade: takes over `fd`, the old node's listening socket, when it is bound to `path`
  // and the file is still there; false (and `fd` closed) otherwise, and then bind() is the way.
  bool adopt(const std::string& path, int fd);
  // The listening descriptor (valid while listening), to pass on in a binary upgrade.
  int fd() const { return bound_.fd; }
  // Binary upgrade, old node: close() leaves the socket file, which the new node serves now.
  void keepSocketFile() { keep_file_ = true; }
  bool listen(std::string& error);
  void close();

  // Applies to peers accepted from now on (a reload): attached clients stay.
  void setPolicy(PeerPolicy policy) { policy_ = std::move(policy); }

  // One `{"event":"stats","data":SNAPSHOT}` line to every subscribed client (`snapshot` is the
  // serialized snapshot): built once, the same buffer queued to all of them.
  void publish(const std::string& snapshot);

  const std::string& path() const { return path_; }
  size_t clientCount() const;

  // SessionOwner
  const MethodTable& methods() const override { return methods_; }
  void sessionClosed(ControlSession* session) override;

 private:
  void onConnection(int status);
  std::string refusal(const Peer& peer) const;

  uv_loop_t* loop_;
  const MethodTable& methods_;
  PeerPolicy policy_;
  std::string path_;
  BoundSocketFile bound_;
  uv_pipe_t* listener_ = nullptr;  // freed in its uv_close callback
  std::unordered_map<ControlSession*, ControlSessionPtr> sessions_;
  bool closed_ = false;
  bool keep_file_ = false;
};

}  // namespace sluice::control
