#pragma once
// Paths the tests need, handed to them by ctest through the environment (see tests/CMakeLists.txt).

#include <QString>

namespace sluice::test {

QString sluiceBinary();       // build/bin/sluice
QString testOriginBinary();   // build/bin/sluice-test-origin
QString sourceDir();          // the repository root

}  // namespace sluice::test
