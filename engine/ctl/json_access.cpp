#include "engine/ctl/json_access.h"

namespace sluice::ctl {
namespace {

const nlohmann::json kNull;

}  // namespace

const nlohmann::json& at(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* cur = &j;
  for (const char* key : path) {
    if (!cur->is_object()) {
      return kNull;
    }
    auto it = cur->find(key);
    if (it == cur->end()) {
      return kNull;
    }
    cur = &*it;
  }
  return *cur;
}

double number(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json& v = at(j, path);
  return v.is_number() ? v.get<double>() : 0.0;
}

std::string text(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json& v = at(j, path);
  return v.is_string() ? v.get<std::string>() : std::string();
}

bool boolean(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json& v = at(j, path);
  return v.is_boolean() && v.get<bool>();
}

std::string cell(const nlohmann::json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_null()) {
    return "-";
  }
  if (value.is_array()) {
    std::string out;
    for (const auto& item : value) {
      if (!out.empty()) {
        out += ",";
      }
      out += cell(item);
    }
    return out.empty() ? "-" : out;
  }
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sluice::ctl
