#pragma once
// The listening sockets a node inherits from the node it replaces in a binary upgrade
// (docs/resilience.md, "Binary upgrade"). The old node starts the new binary with the descriptors
// open and their map in the environment variable SLUICE_INHERITED_FDS, a JSON object:
//   {"parent":PID, "ready":FD, "control":FD, "admin":FD, "listeners":{"NAME":[FD,...], ...}}
// The new node takes the sockets whose listener (by name and address) is still configured, closes
// the rest, and writes one line to `ready` once it serves; the old node then drains and exits.
// The sockets are the same kernel sockets: connections waiting in their queues are never lost.
//
// Read once on the main thread at start-up, before any other thread exists (it edits the
// environment). Not thread-safe; owned by the Node.

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace sluice::node {

inline constexpr const char* kInheritedFdsVariable = "SLUICE_INHERITED_FDS";

class InheritedSockets {
 public:
  InheritedSockets() = default;
  ~InheritedSockets();
  InheritedSockets(const InheritedSockets&) = delete;
  InheritedSockets& operator=(const InheritedSockets&) = delete;

  // Reads and removes SLUICE_INHERITED_FDS (a later upgrade of this node sets its own). A malformed
  // value is logged and ignored: the node then binds its sockets itself.
  void takeFromEnvironment();

  bool fromUpgrade() const { return parent_ > 0; }
  pid_t parent() const { return parent_; }

  // The listener's sockets (every one close-on-exec again), or none; each can be taken once.
  std::vector<int> takeListener(const std::string& name);
  // -1 when none was passed.
  int takeControl();
  int takeAdmin();

  // Tells the old node this one serves, then closes the pipe. Closes every socket not taken.
  void signalReady();
  void closeUnused();

 private:
  pid_t parent_ = 0;
  int ready_fd_ = -1;
  int control_ = -1;
  int admin_ = -1;
  std::map<std::string, std::vector<int>> listeners_;
};

}  // namespace sluice::node
