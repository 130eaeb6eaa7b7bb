#pragma once
// TestRegistry: the QtTest classes linked into one test executable, by name. The test files of one
// folder share an executable (see tests/CMakeLists.txt); each registers its class at static
// initialisation through qtest_registration.h, and main() (registry_main.cpp) runs the one named on
// the command line. Filled before main() on the main thread, read-only afterwards.

#include <string>
#include <string_view>
#include <vector>

namespace sluice::testing {

class TestRegistry {
 public:
  // Builds the application object and the test object, as QTEST_*MAIN would, and runs QTest::qExec.
  using RunFn = int (*)(int argc, char** argv);

  // `source_file` is the registering file's __FILE__: ".../NAME_test.cpp" registers as NAME, the
  // ctest name's last part. Two registrations of one name abort (two files would run as one test).
  static void add(std::string_view source_file, RunFn run);
  static RunFn find(std::string_view name);
  static std::vector<std::string> names();

  static std::string nameOf(std::string_view source_file);
};

// One static instance per test file registers it (the redefined QTEST_*MAIN declares it).
struct TestRegistration {
  TestRegistration(const char* source_file, TestRegistry::RunFn run) { TestRegistry::add(source_file, run); }
};

}  // namespace sluice::testing
