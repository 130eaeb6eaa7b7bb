#include "engine/filters/rate_limit/rate_limit_headers.h"

#include "engine/core/number_format.h"

namespace sluice::rate_limit {

void appendPolicyItem(std::string& out, std::string_view name, uint64_t quota, uint64_t window_s) {
  out.push_back('"');
  out.append(name);
  out.append("\";q=");
  core::appendDecimal(out, quota);
  out.append(";w=");
  core::appendDecimal(out, window_s);
}

void appendLimitItem(std::string& out, std::string_view name, uint64_t remaining, uint64_t reset_s) {
  out.push_back('"');
  out.append(name);
  out.append("\";r=");
  core::appendDecimal(out, remaining);
  out.append(";t=");
  core::appendDecimal(out, reset_s);
}

void appendFieldLine(std::string& out, std::string_view name, std::string_view items) {
  if (items.empty()) {
    return;
  }
  out.append(name);
  out.append(": ");
  out.append(items);
  out.append("\r\n");
}

void appendProblemJson(std::string& out, const Problem& p) {
  out.append("{\"type\":\"");
  out.append(p.type);
  out.append("\",\"title\":\"");
  out.append(p.title);
  out.append("\",\"status\":");
  core::appendDecimal(out, static_cast<uint64_t>(p.status));
  out.append(",\"detail\":\"");
  out.append(p.detail);
  out.append("\",\"policy\":\"");
  out.append(p.policy);
  out.push_back('"');
  if (p.retry_after_s > 0) {
    out.append(",\"retry_after\":");
    core::appendDecimal(out, p.retry_after_s);
  }
  out.append("}\n");
}

}  // namespace sluice::rate_limit
