#include "tests/support/test_origin/fault_routes.h"

#include <charconv>

namespace sluice::test_origin {
namespace {

std::optional<uint64_t> number(std::string_view text) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<uint64_t> param(const Request& request, std::string_view name, uint64_t fallback) {
  std::optional<std::string> text = request.queryParam(name);
  return text ? number(*text) : std::optional<uint64_t>(fallback);
}

ResponsePlan text(int status, std::string body) {
  ResponsePlan plan;
  plan.status = status;
  plan.body = std::move(body);
  return plan;
}

std::optional<ResponsePlan> planControl(const Request& request, OriginState& state) {
  const std::string_view path = request.path;
  if (path.starts_with("/_fault/fail/")) {
    const std::optional<uint64_t> n = number(path.substr(13));
    if (!n) {
      return text(400, "bad count\n");
    }
    state.fail_next = *n;
    return text(200, "failing next " + std::to_string(*n) + "\n");
  }
  if (path.starts_with("/_fault/refuse/")) {
    const std::optional<uint64_t> ms = number(path.substr(15));
    if (!ms) {
      return text(400, "bad duration\n");
    }
    state.outage = Outage{*ms, 0, 1};
    return text(200, "refusing for " + std::to_string(*ms) + " ms\n");
  }
  if (path == "/_fault/flap") {
    const std::optional<uint64_t> up = param(request, "up", 500);
    const std::optional<uint64_t> down = param(request, "down", 500);
    const std::optional<uint64_t> cycles = param(request, "cycles", 10);
    if (!up || !down || !cycles || *down == 0) {
      return text(400, "bad flap parameters\n");
    }
    state.outage = Outage{*down, *up, *cycles};
    return text(200, "flapping\n");
  }
  if (path == "/_fault/unhealthy" || path == "/_fault/healthy") {
    state.unhealthy = path == "/_fault/unhealthy";
    return text(200, state.unhealthy ? "unhealthy\n" : "healthy\n");
  }
  if (path == "/_fault/clear") {
    state.fail_next = 0;
    state.unhealthy = false;
    return text(200, "cleared\n");
  }
  return text(404, "unknown fault control\n");
}

}  // namespace

bool takeFailure(const Request& request, OriginState& state) {
  if (state.fail_next == 0 || request.path.starts_with("/_fault/") || request.path == "/stats") {
    return false;
  }
  --state.fail_next;
  return true;
}

std::optional<ResponsePlan> planFaultResponse(const Request& request, OriginState& state) {
  const std::string_view path = request.path;
  if (path.starts_with("/_fault/")) {
    return planControl(request, state);
  }
  if (path == "/health") {
    return state.unhealthy ? text(503, "unhealthy\n") : text(200, "healthy\n");
  }
  if (path == "/reset") {
    ResponsePlan plan;
    plan.kind = PlanKind::Reset;
    return plan;
  }
  if (path.starts_with("/reset-after/")) {
    const std::optional<uint64_t> n = number(path.substr(13));
    if (!n) {
      return text(400, "bad size\n");
    }
    ResponsePlan plan;
    plan.kind = PlanKind::ResetAfter;
    plan.size = *n;
    return plan;
  }
  if (path == "/stall-body") {
    ResponsePlan plan;
    plan.kind = PlanKind::StallBody;
    plan.size = param(request, "size", 100).value_or(100);
    return plan;
  }
  if (path.starts_with("/slow/")) {
    const std::optional<uint64_t> n = number(path.substr(6));
    const std::optional<uint64_t> bytes = param(request, "bytes", 1);
    const std::optional<uint64_t> interval = param(request, "interval", 100);
    if (!n || !bytes || !interval || *bytes == 0) {
      return text(400, "bad slow parameters\n");
    }
    ResponsePlan plan;
    plan.kind = PlanKind::Slow;
    plan.size = *n;
    plan.slice = *bytes;
    plan.delay_ms = *interval;
    return plan;
  }
  return std::nullopt;
}

}  // namespace sluice::test_origin
