#pragma once
// Force-included (-include) before every test file linked into a shared test executable: after
// <QtTest>'s own definitions, QTEST_MAIN / QTEST_GUILESS_MAIN / QTEST_APPLESS_MAIN define a static
// run function with the body their main() would have had, and register it under the file's name
// (TestRegistry). The test files stay unchanged; registry_main.cpp supplies the one main().

#include <QtTest>

#include "tests/support/qtest_registry/test_registry.h"

#undef QTEST_MAIN
#undef QTEST_GUILESS_MAIN
#undef QTEST_APPLESS_MAIN

// The body of Qt's QTEST_MAIN_WRAPPER (qtest.h), as a function of this file instead of main().
#define SLUICE_QTEST_REGISTER(TestObject, ...)                                                 \
  namespace {                                                                                  \
  int sluiceRunRegisteredTest(int argc, char* argv[]) {                                        \
    QT_PREPEND_NAMESPACE(QTest::Internal::callInitMain)<TestObject>();                         \
    __VA_ARGS__                                                                                \
    TestObject tc;                                                                             \
    QTEST_SET_MAIN_SOURCE_PATH                                                                 \
    return QTest::qExec(&tc, argc, argv);                                                      \
  }                                                                                            \
  const ::sluice::testing::TestRegistration sluiceTestRegistration(__FILE__, &sluiceRunRegisteredTest); \
  }

#define QTEST_APPLESS_MAIN(TestObject) SLUICE_QTEST_REGISTER(TestObject)
#define QTEST_MAIN(TestObject) SLUICE_QTEST_REGISTER(TestObject, QTEST_MAIN_SETUP())
#define QTEST_GUILESS_MAIN(TestObject) SLUICE_QTEST_REGISTER(TestObject, QTEST_QAPP_SETUP(QCoreApplication))
