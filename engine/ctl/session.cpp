#include "engine/ctl/session.h"

#include <cerrno>
#include <cmath>

namespace sluice::ctl {
namespace {

std::string connectHint(int error) {
  switch (error) {
    case ENOENT:
      return " (is the node running? its socket is control.socket in its config; pass --socket PATH or set "
             "SLUICE_SOCKET)";
    case ECONNREFUSED:
      return " (nothing listens there: the node is not running, or left a stale socket)";
    case EACCES:
    case EPERM:
      return " (the socket is mode 0660: run as the node's user or root, or add your user to the socket's "
             "group, e.g. `usermod -aG sluice $USER`, then log in again)";
    default:
      return "";
  }
}

std::string stringField(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Session::Session(GlobalOptions options, std::FILE* out, std::FILE* err)
    : options_(std::move(options)), out_(out), err_(err) {}

ControlClient* Session::client(int& exit_code) {
  if (client_) {
    return client_.get();
  }
  const auto timeout =
      std::chrono::milliseconds(static_cast<int64_t>(std::llround(options_.timeout_s * 1000)));
  auto c = std::make_unique<ControlClient>(timeout);
  if (!c->connect(options_.socket)) {
    std::fprintf(err_, "sluice ctl: cannot connect to %s: %s%s\n", options_.socket.c_str(),
                 c->error().c_str(), connectHint(c->connectErrno()).c_str());
    exit_code = kExitNoConnection;
    return nullptr;
  }
  client_ = std::move(c);
  return client_.get();
}

int Session::call(const std::string& method, const nlohmann::json& params, nlohmann::json& result) {
  int code = kExitOk;
  ControlClient* c = client(code);
  if (c == nullptr) {
    return code;
  }
  Reply reply = c->call(method, params);
  switch (reply.kind) {
    case Reply::Kind::Result:
      result = std::move(reply.result);
      return kExitOk;
    case Reply::Kind::Error:
      printError(reply.error);
      return kExitErrorReply;
    case Reply::Kind::Transport:
      break;
  }
  std::fprintf(err_, "sluice ctl: %s: %s\n", options_.socket.c_str(), reply.transport.c_str());
  return kExitNoConnection;
}

void Session::printError(const nlohmann::json& error) const {
  if (options_.json) {
    printJson(error);
    return;
  }
  const std::string code = stringField(error, "code");
  const std::string field = stringField(error, "field");
  const std::string message = stringField(error, "message");
  std::fprintf(err_, "sluice ctl: %s: %s%s%s\n", code.empty() ? "error" : code.c_str(), field.c_str(),
               field.empty() ? "" : ": ", message.c_str());
  // `invalid` lists every problem; the first one is already on the line above.
  if (auto errors = error.find("errors"); errors != error.end() && errors->is_array() && errors->size() > 1) {
    for (size_t i = 1; i < errors->size(); ++i) {
      const nlohmann::json& e = (*errors)[i];
      if (!e.is_object()) {
        continue;
      }
      const std::string f = stringField(e, "field");
      std::fprintf(err_, "  %s%s%s\n", f.c_str(), f.empty() ? "" : ": ", stringField(e, "message").c_str());
    }
  }
  if (code == "conflict") {
    std::fprintf(err_,
                 "sluice ctl: the config changed since it was read; look at it again (sluice ctl config get) "
                 "and retry\n");
  }
}

int Session::baseVersion(std::optional<double> given, int64_t& version) {
  if (given) {
    version = static_cast<int64_t>(*given);
    return kExitOk;
  }
  nlohmann::json hello;
  if (int code = call("hello", nullptr, hello); code != kExitOk) {
    return code;
  }
  auto it = hello.find("config_version");
  if (it == hello.end() || !it->is_number_integer()) {
    std::fprintf(err_, "sluice ctl: the node's hello has no config_version\n");
    return kExitErrorReply;
  }
  version = it->get<int64_t>();
  return kExitOk;
}

void Session::printJson(const nlohmann::json& value) const {
  // Replace invalid UTF-8 rather than throw: the node should never send it, but a CLI must not abort.
  const std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fprintf(out_, "%s\n", text.c_str());
  std::fflush(out_);
}

int Session::usage(const std::string& command, const std::string& message) const {
  std::fprintf(err_, "sluice ctl: %s%s%s\nsee: sluice ctl %s--help\n", command.c_str(),
               command.empty() ? "" : ": ", message.c_str(), command.empty() ? "" : (command + " ").c_str());
  return kExitUsage;
}

}  // namespace sluice::ctl
