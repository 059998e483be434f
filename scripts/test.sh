#!/usr/bin/env bash
# README command 2: install what is missing, build, and run every test twice: a normal build and
# an AddressSanitizer + UndefinedBehaviorSanitizer build; between the two, the quality gates
# (scripts/gates.sh: unit tests under valgrind, cppcheck, libFuzzer runs). Fails loudly on the first failure.
# A failed test is run once more (--repeat until-pass:2), and ctest prints the first failure: the
# tests start real servers on a 2-core machine. (The old test_db flake was mariadb-install-db losing
# its temp tables in the shared /tmp; it now gets its own --tmpdir.)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
jobs=$(nproc)
echo "== build (RelWithDebInfo, -Werror)"
"$top/scripts/build.sh" "$top/build"
echo "== tests"
ctest --test-dir "$top/build" --output-on-failure -j"$jobs" --timeout 600 --repeat until-pass:2
echo "== quality gates (valgrind, static analysis, fuzzing): scripts/gates.sh"
"$top/scripts/gates.sh" "$top/build"
echo "== build (ASan + UBSan)"
"$top/scripts/build.sh" "$top/build-asan" -DUPWIZ_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
echo "== tests under ASan + UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir "$top/build-asan" --output-on-failure -j"$jobs" --timeout 900 --repeat until-pass:2
echo "== all tests passed"
