#pragma once
// For the config tests: the errors of loading a YAML text as "t.yaml", as `t.yaml:LINE: message`.

#include <QStringList>
#include <string>

#include "engine/config/config_loader.h"

namespace sluice::test {

inline QStringList errorsOf(const std::string& text) {
  config::LoadResult result = config::loadConfigText(text, "t.yaml");
  QStringList out;
  for (const auto& error : result.errors) {
    out << QString::fromStdString(error.str());
  }
  if (result.ok() != out.isEmpty()) {
    out << "BUG: ok() disagrees with the error list";
  }
  return out;
}

}  // namespace sluice::test
