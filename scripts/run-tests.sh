#!/usr/bin/env bash
# Build and run every test: the normal build, then the same suite under
# AddressSanitizer + UndefinedBehaviorSanitizer, then each fuzz target briefly.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/deps.sh test

echo "== build"
scripts/build.sh build -DUCPKI_TESTS=ON
echo "== tests"
ctest --test-dir build --no-tests=error --output-on-failure -j"$(nproc)"

echo "== tests under ASan+UBSan"
scripts/build.sh build-asan -DUCPKI_SANITIZE=ON -DUCPKI_TESTS=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir build-asan --no-tests=error --output-on-failure -j"$(nproc)"

echo "== fuzz targets (brief)"
CC=clang scripts/build.sh build-fuzz -DUCPKI_FUZZ=ON -DUCPKI_TESTS=OFF
scripts/fuzz.sh build-fuzz "${UCPKI_FUZZ_SECONDS:-20}"
echo "all tests passed"
