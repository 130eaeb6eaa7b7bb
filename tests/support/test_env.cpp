#include "tests/support/test_env.h"

#include <QtGlobal>

namespace sluice::test {
namespace {

QString required(const char* name) {
  const QString value = qEnvironmentVariable(name);
  if (value.isEmpty()) {
    qFatal("%s is not set: run the tests through ctest", name);
  }
  return value;
}

}  // namespace

QString sluiceBinary() { return required("SLUICE_BIN"); }
QString testOriginBinary() { return required("SLUICE_TEST_ORIGIN"); }
QString sourceDir() { return required("SLUICE_SOURCE_DIR"); }

}  // namespace sluice::test
