// main() of a test executable that holds several QtTest files: `EXE NAME [QtTest arguments...]` runs
// the test registered as NAME (the file NAME_test.cpp) exactly as its own QTEST_*MAIN would have,
// with argv[0] followed by the remaining arguments.

#include <cstdio>
#include <cstring>
#include <vector>

#include "tests/support/qtest_registry/test_registry.h"

using sluice::testing::TestRegistry;

namespace {

int usage(const char* exe) {
  std::fprintf(stderr, "usage: %s TEST [QtTest arguments...]\ntests in this executable:\n", exe);
  for (const auto& name : TestRegistry::names()) {
    std::fprintf(stderr, "  %s\n", name.c_str());
  }
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') {
    return usage(argv[0]);
  }
  const TestRegistry::RunFn run = TestRegistry::find(argv[1]);
  if (run == nullptr) {
    std::fprintf(stderr, "%s: no test named '%s'\n", argv[0], argv[1]);
    return usage(argv[0]);
  }
  std::vector<char*> args;
  args.push_back(argv[0]);
  for (int i = 2; i < argc; ++i) {
    args.push_back(argv[i]);
  }
  args.push_back(nullptr);
  // Lives until the test returns: Q(Core)Application keeps a reference to argc.
  int test_argc = argc - 1;
  return run(test_argc, args.data());
}
