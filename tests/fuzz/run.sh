#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] [NAME...]: build every libFuzzer harness (tests/fuzz/fuzz_NAME.c)
# with clang -fsanitize=fuzzer,address,undefined (CMake, -DUPWIZ_FUZZ=ON, core/ built with the
# same instrumentation), replay the saved crashes in regress/NAME/, then fuzz each harness for
# SECONDS (default 20) from the seeds in corpus/NAME/. A crash, leak, timeout or OOM input is
# written to regress/NAME/ and the script fails; commit the input with the fix: every normal
# build replays regress/NAME/ as the unit test fuzz/replay_NAME (tests/fuzz/replay_main.c).
#
# Harnesses: sqlsplit (SQL splitter), props (.properties editor), profile (profile loader),
# answers (answers file parser), events (the JSON-lines event-stream reader: core/client + view),
# cast (a screen recording: core/cast.c loader + seek index, core/vt.c on any bytes).
#
# Binaries and the growing working corpus live in $UPWIZ_FUZZ_OUT (default build-fuzz/ at the
# repository root, ignored by git), so the committed seed corpus stays small.
set -euo pipefail

secs=${1:-20}
shift || true
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${UPWIZ_FUZZ_OUT:-$root/build-fuzz}
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in "$here"/fuzz_*.c; do n=${f##*/fuzz_}; names+=("${n%.c}"); done
fi

echo "== fuzz: building ${names[*]} (clang, libFuzzer + ASan + UBSan)"
cmake -S "$root" -B "$out" -DCMAKE_C_COMPILER="${CC_FUZZ:-clang}" -DUPWIZ_FUZZ=ON -DUPWIZ_TUI=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=()
for n in "${names[@]}"; do targets+=(--target "fuzz_$n"); done
cmake --build "$out" -j"$(nproc)" "${targets[@]}" >"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
failed=()
for name in "${names[@]}"; do
	bin=$out/fuzz_$name
	regress=$here/regress/$name
	work=$out/corpus_$name
	mkdir -p "$regress" "$work"

	saved=()
	for f in "$regress"/*; do [ -f "$f" ] && saved+=("$f"); done
	if [ ${#saved[@]} -gt 0 ]; then
		echo "== $name: replaying ${#saved[@]} saved input(s)"
		if ! "$bin" "${saved[@]}" >"$out/$name.replay.log" 2>&1; then
			echo "!! $name: a saved input still fails (see $out/$name.replay.log)"
			tail -30 "$out/$name.replay.log"
			failed+=("$name")
			continue
		fi
	fi

	echo "== $name: fuzzing for ${secs}s"
	if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="$regress/" -print_final_stats=1 \
		"$work" "$here/corpus/$name" >"$out/$name.log" 2>&1; then
		echo "!! $name: crash; input saved in $regress/"
		grep -E 'ERROR|check failed|runtime error|SUMMARY|Test unit written' "$out/$name.log" | head -20
		failed+=("$name")
		continue
	fi
	grep -E '^stat::number_of_executed_units|^Done' "$out/$name.log" | tr '\n' ' '
	echo
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "FAILED: ${failed[*]}"
	exit 1
fi
echo "fuzz: all clean"
