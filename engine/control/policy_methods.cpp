// rate_limits.list/set/delete and cache_policies.list/set/delete: one implementation, two sections.

#include <fmt/format.h>

#include <algorithm>

#include "engine/control/config_editor.h"
#include "engine/control/control_params.h"

namespace sluice::control {
namespace {

using config::Section;

std::string_view policyKind(Section section) {
  return section == Section::RateLimits ? "rate limit" : "cache policy";
}

bool routeUses(const config::RouteConfig& route, Section section, const std::string& name) {
  if (section == Section::CachePolicies) {
    return route.cache == name;
  }
  return std::find(route.rate_limits.begin(), route.rate_limits.end(), name) != route.rate_limits.end();
}

// The field path of the first route that names the policy: routes[2].cache, routes[0].rate_limits[1].
std::string firstReference(const config::Config& config, Section section, const std::string& name) {
  for (size_t i = 0; i < config.routes.size(); ++i) {
    const config::RouteConfig& route = config.routes[i];
    if (section == Section::CachePolicies && route.cache == name) {
      return fmt::format("routes[{}].cache", i);
    }
    if (section == Section::RateLimits) {
      auto it = std::find(route.rate_limits.begin(), route.rate_limits.end(), name);
      if (it != route.rate_limits.end()) {
        return fmt::format("routes[{}].rate_limits[{}]", i, it - route.rate_limits.begin());
      }
    }
  }
  return {};
}

bool hasEntry(const std::string& text, Section section, const std::string& name) {
  for (const nlohmann::json& entry : config::sectionEntries(text, section)) {
    auto it = entry.find("name");
    if (it != entry.end() && it->is_string() && it->get<std::string>() == name) {
      return true;
    }
  }
  return false;
}

}  // namespace

void ConfigEditor::listPolicies(Section section, const Peer& /*peer*/, const nlohmann::json& /*params*/,
                                ResponderPtr reply) {
  const RunningConfig running = hooks_.current();
  nlohmann::json policies = nlohmann::json::array();
  for (nlohmann::json& entry : config::sectionEntries(running.text, section)) {
    nlohmann::json routes = nlohmann::json::array();
    auto name = entry.find("name");
    if (name != entry.end() && name->is_string()) {
      for (const config::RouteConfig& route : running.config->routes) {
        if (routeUses(route, section, name->get<std::string>())) {
          routes.push_back(route.name);
        }
      }
    }
    entry["routes"] = std::move(routes);
    policies.push_back(std::move(entry));
  }
  reply->ok({{"version", running.version}, {"policies", std::move(policies)}});
}

void ConfigEditor::setPolicy(Section section, const Peer& peer, const nlohmann::json& params,
                             ResponderPtr reply) {
  ControlError error;
  const std::optional<uint64_t> base = versionParam(params, "base_version", error);
  const nlohmann::json* policy = base ? objectParam(params, "policy", error) : nullptr;
  if (policy == nullptr) {
    reply->fail(std::move(error));
    return;
  }
  auto name = policy->find("name");
  if (name == policy->end() || !name->is_string() || name->get<std::string>().empty()) {
    reply->fail(badRequest("params.policy.name must be a non-empty string"));
    return;
  }
  const std::string what = fmt::format("{}.set {}", config::sectionKey(section), name->get<std::string>());
  Edit edit{peer, std::move(reply), *base, what, nullptr};
  edit.plan = [section, policy = *policy](const RunningConfig& running) {
    Plan plan;
    std::string message;
    std::optional<config::EditedText> edited = config::setEntry(running.text, section, policy, message);
    if (!edited) {
      // The policy itself was checked above: what is left is the file's layout (e.g. a flow-style
      // top-level map), which the client cannot fix.
      plan.error = ControlError{"internal", "cannot edit the config file: " + message, {}, nullptr};
      return plan;
    }
    plan.text = std::move(edited->yaml);
    plan.result["created"] = edited->created;
    return plan;
  };
  submit(std::move(edit));
}

void ConfigEditor::deletePolicy(Section section, const Peer& peer, const nlohmann::json& params,
                                ResponderPtr reply) {
  ControlError error;
  const std::optional<uint64_t> base = versionParam(params, "base_version", error);
  const std::optional<std::string> name = base ? nameParam(params, "name", error) : std::nullopt;
  if (!name) {
    reply->fail(std::move(error));
    return;
  }
  const std::string what = fmt::format("{}.delete {}", config::sectionKey(section), *name);
  Edit edit{peer, std::move(reply), *base, what, nullptr};
  edit.plan = [section, name = *name](const RunningConfig& running) {
    Plan plan;
    if (!hasEntry(running.text, section, name)) {
      plan.error = ControlError{
          "not_found", fmt::format("there is no {} named '{}'", policyKind(section), name), {}, nullptr};
      return plan;
    }
    std::optional<std::string> text = config::deleteEntry(running.text, section, name);
    if (!text) {
      plan.error = ControlError{
          "internal",
          fmt::format("cannot rewrite the '{}' section of the config", config::sectionKey(section)),
          {},
          nullptr};
      return plan;
    }
    plan.text = std::move(*text);
    // A route still naming it fails validation: point at that route's reference, not just its line.
    plan.invalid_field = firstReference(*running.config, section, name);
    return plan;
  };
  submit(std::move(edit));
}

}  // namespace sluice::control
