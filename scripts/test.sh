#!/usr/bin/env bash
# All tests on a fresh Debian 12 machine (as root): installs what is missing, builds, and runs the
# whole suite with ctest; then builds again with ASan+UBSan and runs the suite under it, and with TSan
# and runs its threaded part (the threaded node runs under TSan in the integration tests: a race turns
# its exit code into 66, which the tests check). SLUICE_SKIP_SANITIZERS=1 skips the sanitizer passes
# (quick local runs).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash scripts/install-deps.sh --with-tests
jobs=$(nproc)
status=0

echo "== build (RelWithDebInfo)"
bash scripts/build.sh "$here/build"
echo "== tests"
ctest --test-dir "$here/build" --output-on-failure -j "$jobs" || status=1

if [ "${SLUICE_SKIP_SANITIZERS:-0}" != "1" ]; then
  echo "== build (ASan+UBSan)"
  # -g1 (line tables only): sanitizer reports keep file:line, and the two extra builds compile and
  # link much faster than with full debug info.
  bash scripts/build.sh "$here/build-asan" -DSLUICE_SANITIZE=address -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCMAKE_C_FLAGS_DEBUG=-g1
  echo "== tests under ASan+UBSan"
  # 1 GiB transfers are covered by the first pass; under ASan they only cost time.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$here/build-asan" --output-on-failure -j "$jobs" -LE heavy || status=1

  echo "== build (TSan)"
  # TSan finds data races, so this pass builds and runs only what has threads: the integration tests
  # (the node) and the unit folders whose tests start threads (SLUICE_TSAN_SUBSET, label `threaded`,
  # see tests/CMakeLists.txt). The single-threaded unit tests and the console (single-threaded Qt GUI
  # code over libraries not built for TSan) get their ASan pass above, and no TSan pass.
  bash scripts/build.sh "$here/build-tsan" -DSLUICE_SANITIZE=thread -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCMAKE_C_FLAGS_DEBUG=-g1 -DSLUICE_BUILD_CONSOLE=OFF -DSLUICE_TSAN_SUBSET=ON
  echo "== tests under TSan"
  ctest --test-dir "$here/build-tsan" --output-on-failure -j "$jobs" -LE heavy || status=1
fi
exit $status
