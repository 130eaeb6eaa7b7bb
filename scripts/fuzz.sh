#!/usr/bin/env bash
# Builds the libFuzzer drivers into build-fuzz (clang, ASan+UBSan) and runs each one for N seconds.
# Usage: scripts/fuzz.sh [SECONDS] [DRIVER...]   (default: 60 seconds, every driver)
# A crash leaves its input in build-fuzz/fuzz/artifacts/<driver>/; the script then exits 1.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
drivers=("$@")
if [ ${#drivers[@]} -eq 0 ]; then drivers=(request_parser config config_document cache_record control_request); fi

if ! command -v clang++ >/dev/null || [ -z "$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ]; then
  echo "fuzz: installing clang and its libFuzzer runtime"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null
fi
bash "$here/scripts/install-deps.sh"

build="$here/build-fuzz"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_FUZZ=ON -DSLUICE_BUILD_TESTS=OFF >/dev/null
targets=()
for d in "${drivers[@]}"; do targets+=("${d}_fuzz"); done
ninja -C "$build" "${targets[@]}"

status=0
for d in "${drivers[@]}"; do
  corpus="$build/fuzz/corpus/$d"          # grows as the fuzzer finds new inputs; seeds stay in git
  artifacts="$build/fuzz/artifacts/$d/"
  mkdir -p "$corpus" "$artifacts"
  echo "== $d: ${seconds}s"
  if ! UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
    "$build/fuzz/${d}_fuzz" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" "$here/tests/fuzz/corpus/$d" \
    2>"$build/fuzz/$d.log"; then
    status=1
    echo "fuzz: $d FAILED, see $build/fuzz/$d.log; inputs:"
    ls -1 "$artifacts"
  fi
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$build/fuzz/$d.log" || true
done
exit $status
