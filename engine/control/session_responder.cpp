#include "engine/control/session_responder.h"

#include <cassert>

#include "engine/control/control_reply.h"
#include "engine/control/control_session.h"
#include "engine/log/logger.h"

namespace sluice::control {

SessionResponder::SessionResponder(std::weak_ptr<ControlSession> session, uint64_t seq, nlohmann::json id)
    : session_(std::move(session)), seq_(seq), id_(std::move(id)) {}

SessionResponder::~SessionResponder() {
  if (answered_ || std::this_thread::get_id() != thread_) {
    return;
  }
  if (!session_.expired()) {
    log::error("control: request {} was never answered", dumpLine(id_));
  }
  deliver(errorLine(id_, ControlError{"internal", "the node dropped this request without an answer"}));
}

void SessionResponder::ok(nlohmann::json result) {
  assert(!answered_ && "a control request is answered once");
  if (answered_) {
    return;
  }
  deliver(resultLine(id_, std::move(result)));
}

void SessionResponder::fail(ControlError error) {
  assert(!answered_ && "a control request is answered once");
  if (answered_) {
    return;
  }
  deliver(errorLine(id_, error));
}

void SessionResponder::deliver(std::string line) {
  answered_ = true;
  if (std::shared_ptr<ControlSession> session = session_.lock()) {
    session->answer(seq_, std::move(line));
  }
}

}  // namespace sluice::control
