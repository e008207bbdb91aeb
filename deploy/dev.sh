#!/usr/bin/env bash
# The README's two commands, and the benchmark run:
#   bash deploy/dev.sh run    install packages, build, start jianyand on 127.0.0.1:7400
#   bash deploy/dev.sh test   install packages, build with ASan+UBSan, run every test
#   bash deploy/dev.sh bench  install packages, Release build, run the benchmarks
#   bash deploy/dev.sh fuzz [SECONDS]  clang-14 + libFuzzer with ASan+UBSan: run
#                             each target of tests/fuzz for SECONDS (default 600)
# Works as root on a fresh Debian 12 machine; only Debian's archive is used.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(cmake g++ make pkg-config
          libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc
          libabsl-dev libssl-dev librocksdb-dev libutf8proc-dev libgtest-dev libgmock-dev libbenchmark-dev
          libcpp-httplib-dev  # the metrics endpoint (/metrics, /healthz)
          libcli11-dev  # the jianyan client's command line
          libjemalloc-dev  # the servers' allocator (not in the sanitizer build)
          openssl  # test certificates of the TLS tests
          python3-prometheus-client python3-yaml)  # tests: scrape parser, alert rules
JOBS=$(nproc)

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "== installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
}

case "${1:-}" in
  run)
    install_packages
    cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release \
      -DJIANYAN_BUILD_TESTS=OFF -DJIANYAN_BUILD_BENCHMARKS=OFF
    cmake --build build/release -j"$JOBS" --target jianyand jianyan
    shift
    # --demo loads the Tai'an directory on the first run only (an empty data
    # directory); jianyand logs where it wrote the bearer tokens.
    exec build/release/services/jianyand/jianyand --config=deploy/jianyand.textproto --demo "$@"
    ;;
  test)
    install_packages
    cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
      -DJIANYAN_SANITIZE=ON
    cmake --build build/test -j"$JOBS"
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    ctest --test-dir build/test --output-on-failure -j"$JOBS" --no-tests=error
    ;;
  bench)
    install_packages
    # Its own tree: `run` caches JIANYAN_BUILD_BENCHMARKS=OFF in build/release.
    cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release \
      -DJIANYAN_BUILD_TESTS=OFF -DJIANYAN_BUILD_BENCHMARKS=ON
    cmake --build build/bench -j"$JOBS"
    for b in build/bench/tests/bench/*/*_bench; do
      echo "== $b"
      "$b"
    done | tee build/bench/bench.txt
    grep '^TARGET' build/bench/bench.txt
    ;;
  fuzz)
    # libclang-rt-14-dev holds the libFuzzer runtime that -fsanitize=fuzzer
    # links; libfuzzer-14-dev its headers and standalone library.
    PACKAGES+=(clang-14 libfuzzer-14-dev libclang-rt-14-dev)
    install_packages
    seconds=${2:-600}
    cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
      -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
      -DJIANYAN_SANITIZE=ON -DJIANYAN_FUZZ=ON \
      -DJIANYAN_BUILD_TESTS=OFF -DJIANYAN_BUILD_BENCHMARKS=OFF
    targets=$(cd tests/fuzz && ls fuzz_*.cc | sed 's/\.cc$//')
    # shellcheck disable=SC2086
    cmake --build build/fuzz -j"$JOBS" --target $targets
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    for t in $targets; do
      name=${t#fuzz_}
      # New inputs grow a working copy; a crash is written into the committed
      # corpus (crash-*), which ctest then replays until it is fixed.
      work=build/fuzz/corpus/$name
      mkdir -p "$work"
      echo "== $t for ${seconds}s"
      build/fuzz/tests/fuzz/"$t" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="tests/fuzz/corpus/$name/" "$work" "tests/fuzz/corpus/$name" \
        2>&1 | tee "build/fuzz/$t.log" | grep -E '^(#[0-9]+ *DONE|stat::|==[0-9]+==ERROR|SUMMARY)' || true
    done
    ;;
  *)
    echo "usage: bash deploy/dev.sh run|test|bench|fuzz [SECONDS]" >&2
    exit 2
    ;;
esac
