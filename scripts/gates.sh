#!/usr/bin/env bash
# scripts/gates.sh BUILD_DIR [gate...]: the quality gates beyond the test suite, called by
# scripts/test.sh (README command 2, which .ci/run calls) after the normal build's tests passed.
# Gates (all by default, in this order):
#   valgrind  every unit test and fuzz replay of BUILD_DIR (a normal, non-sanitized build) under
#             valgrind memcheck: any error or leak (definite/possible) fails. UPWIZ_VALGRIND=1 tells
#             the unit tests that push large inputs through to do fewer rounds.
#   static    cppcheck (suppressions: .cppcheck-suppressions, one reason each) and clang-tidy
#             (.clang-tidy) over core/ tui/ screens/ cli/: any finding fails.
#   fuzz      tests/fuzz/run.sh: every libFuzzer harness for UPWIZ_FUZZ_SECONDS (default 20) each;
#             a crash fails and its input is saved under tests/fuzz/regress/NAME/.
# Each gate prints its own time; a failing gate does not stop the others (all are reported).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd) || exit 2
shift || true
gates=("$@")
[ ${#gates[@]} -eq 0 ] && gates=(valgrind static fuzz)
failed=()

# one program under memcheck; prints a report and fails on any error or leak (77 = skipped)
vg_one() {
	local exe=$1 name=${1##*/} args=()
	case $name in
	replay_*) args=("$top/tests/fuzz/regress/${name#replay_}" "$top/tests/fuzz/corpus/${name#replay_}") ;;
	esac
	(cd "$build" && UPWIZ_VALGRIND=1 UPWIZ_SOURCE_DIR=$top UPWIZ_BIN=$build/upwiz \
		valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible \
		--error-exitcode=99 --child-silent-after-fork=yes --suppressions="$top/tests/valgrind.supp" \
		"$exe" "${args[@]}" >"$build/valgrind/$name.log" 2>&1)
	local rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
		echo "!! valgrind: $name exit $rc (log: $build/valgrind/$name.log)"
		grep -E "==[0-9]+==|FAILED|ERROR" "$build/valgrind/$name.log" | head -30
		return 1
	fi
	echo "   valgrind: $name clean"
}

gate_valgrind() {
	mkdir -p "$build/valgrind"
	local progs=()
	for exe in "$build"/test_* "$build"/replay_*; do
		[ -x "$exe" ] || continue
		case ${exe##*/} in
		test_db | test_dump | test_world) continue ;;   # integration: a private mariadbd, under ASan already
		esac
		progs+=("$exe")
	done
	export -f vg_one
	export top build
	# nproc at a time; xargs exits non-zero if any run failed
	printf '%s\n' "${progs[@]}" | xargs -P"$(nproc)" -I{} bash -c 'vg_one "$1"' _ {}
	local rc=$?
	echo "valgrind: ${#progs[@]} programs checked"
	return $rc
}

gate_static() {
	bash "$top/scripts/static.sh" "$build"
}

gate_fuzz() {
	bash "$top/tests/fuzz/run.sh" "${UPWIZ_FUZZ_SECONDS:-20}"
}

for g in "${gates[@]}"; do
	echo "== gate: $g"
	t0=$(date +%s)
	if "gate_$g"; then
		echo "== gate: $g passed in $(($(date +%s) - t0)) s"
	else
		echo "== gate: $g FAILED after $(($(date +%s) - t0)) s"
		failed+=("$g")
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "gates failed: ${failed[*]}"
	exit 1
fi
echo "== all gates passed"
