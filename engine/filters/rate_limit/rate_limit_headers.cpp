#include "engine/filters/rate_limit/rate_limit_headers.h"

#include "engine/core/number_format.h"

namespace sluice::rate_limit {

namespace {

// `"NAME";A=X;B=Y`: a structured-field string item with two integer parameters.
void appendItem(std::string& out, std::string_view name, std::string_view a, uint64_t x, std::string_view b,
                uint64_t y) {
  out.push_back('"');
  out.append(name);
  out.append("\";").append(a).push_back('=');
  core::appendDecimal(out, x);
  out.append(";").append(b).push_back('=');
  core::appendDecimal(out, y);
}

}  // namespace

void appendPolicyItem(std::string& out, std::string_view name, uint64_t quota, uint64_t window_s) {
  appendItem(out, name, "q", quota, "w", window_s);
}

void appendLimitItem(std::string& out, std::string_view name, uint64_t remaining, uint64_t reset_s) {
  appendItem(out, name, "r", remaining, "t", reset_s);
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
