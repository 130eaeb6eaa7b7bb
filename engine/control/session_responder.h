#pragma once
// The Responder a method gets for one request: turns ok()/fail() into the reply line and hands it
// to the session's ordered reply queue, if the session is still open (a weak reference: a client
// that went away is not kept alive by a purge still running). Created, answered and normally
// destroyed on the control thread; a responder dropped by another thread (a task queue closed at
// shutdown) does nothing.

#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/control/control_method.h"

namespace sluice::control {

class ControlSession;

class SessionResponder final : public Responder {
 public:
  SessionResponder(std::weak_ptr<ControlSession> session, uint64_t seq, nlohmann::json id);
  // A request nobody answered is answered `internal`, so the replies behind it are not held up.
  ~SessionResponder() override;

  // Answering twice is a bug in the method: asserts in debug builds, ignored otherwise.
  void ok(nlohmann::json result) override;
  void fail(ControlError error) override;

 private:
  void deliver(std::string line);

  std::weak_ptr<ControlSession> session_;
  uint64_t seq_;
  nlohmann::json id_;
  std::thread::id thread_ = std::this_thread::get_id();
  bool answered_ = false;
};

}  // namespace sluice::control
