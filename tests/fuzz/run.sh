#!/usr/bin/env bash
# tests/fuzz/run.sh SECONDS: build each libFuzzer harness (fuzz_*.c here) with
# clang -fsanitize=fuzzer,address,undefined straight from the core sources (no
# CMake), replay the saved crashes in regress/<name>/, then fuzz each harness for
# SECONDS from the seeds in corpus/<name>/. A crash, leak, timeout or OOM input
# is written to regress/<name>/ (commit it once fixed) and the script fails.
#
# Binaries and the growing working corpus live in $UPWIZ_FUZZ_OUT (default
# build-fuzz/ at the repository root, ignored by git), so the committed seed
# corpus stays small.
set -euo pipefail

secs=${1:-20}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${UPWIZ_FUZZ_OUT:-$root/build-fuzz}
cc=${CC_FUZZ:-clang}
cflags=(-g -O1 -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
	-fno-omit-frame-pointer "-I$root")

# harness name -> the core sources it needs besides core/util.c
declare -A deps=(
	[sqlsplit]="core/sqlsplit.c"
	[props]="core/props.c"
)

mkdir -p "$out"
failed=()
for name in sqlsplit props; do
	bin=$out/fuzz_$name
	regress=$here/regress/$name
	work=$out/corpus_$name
	mkdir -p "$regress" "$work"
	srcs=()
	for d in ${deps[$name]}; do srcs+=("$root/$d"); done
	echo "== $name: building"
	"$cc" "${cflags[@]}" "$here/fuzz_$name.c" "${srcs[@]}" "$root/core/util.c" -lcrypto -o "$bin"

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
	if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
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
