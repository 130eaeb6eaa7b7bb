#include "tests/support/qtest_registry/test_registry.h"

#include <cstdio>
#include <cstdlib>
#include <map>

namespace sluice::testing {

namespace {

// Function-local so that registrations from other files' static initialisers find it constructed,
// whatever the link order.
std::map<std::string, TestRegistry::RunFn, std::less<>>& entries() {
  static std::map<std::string, TestRegistry::RunFn, std::less<>> map;
  return map;
}

}  // namespace

std::string TestRegistry::nameOf(std::string_view source_file) {
  const size_t slash = source_file.find_last_of("/\\");
  std::string_view name = slash == std::string_view::npos ? source_file : source_file.substr(slash + 1);
  for (std::string_view suffix : {std::string_view(".cpp"), std::string_view("_test")}) {
    if (name.ends_with(suffix)) {
      name.remove_suffix(suffix.size());
    }
  }
  return std::string(name);
}

void TestRegistry::add(std::string_view source_file, RunFn run) {
  const std::string name = nameOf(source_file);
  if (!entries().emplace(name, run).second) {
    std::fprintf(stderr, "test registry: two test files register as '%s'\n", name.c_str());
    std::abort();
  }
}

TestRegistry::RunFn TestRegistry::find(std::string_view name) {
  const auto it = entries().find(name);
  return it == entries().end() ? nullptr : it->second;
}

std::vector<std::string> TestRegistry::names() {
  std::vector<std::string> out;
  for (const auto& [name, run] : entries()) {
    out.push_back(name);
  }
  return out;
}

}  // namespace sluice::testing
