#!/usr/bin/env bash
# The README's two commands, and the benchmark run:
#   bash deploy/dev.sh run    install packages, build, start jianyand on 127.0.0.1:7400
#   bash deploy/dev.sh test   install packages, build with ASan+UBSan, run every test
#   bash deploy/dev.sh bench  install packages, Release build, run the benchmarks
# Works as root on a fresh Debian 12 machine; only Debian's archive is used.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(cmake g++ make pkg-config
          libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc
          libabsl-dev libssl-dev librocksdb-dev libutf8proc-dev libgtest-dev libgmock-dev libbenchmark-dev
          libcpp-httplib-dev  # the metrics endpoint (/metrics, /healthz)
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
    cmake --build build/release -j"$JOBS" --target jianyand
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
  *)
    echo "usage: bash deploy/dev.sh run|test|bench" >&2
    exit 2
    ;;
esac
