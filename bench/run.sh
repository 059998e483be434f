#!/usr/bin/env bash
# bench/run.sh [NAME...]: the benchmarks, one table at the end. Not timed tests: they print
# figures, each next to its goal, and say MISSED when a goal is missed (exit 0 either way;
# exit 1 only when a benchmark could not run). Names: check sqlapply backup logpane idle replay.
#
# Uses build/ (scripts/build.sh build; BENCH_BUILD=DIR for another). Knobs (defaults are the
# issue's sizes): BENCH_SQL_N=100000 statements, BENCH_BACKUP_MB=250, BENCH_LOG_LINES=1000000,
# BENCH_IDLE_SECONDS=10. Each benchmark starts its own private mariadbd / tmux server in a temp
# folder and removes it on exit.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${BENCH_BUILD:-$top/build}
[ -x "$build/upwiz" ] || "$top/scripts/build.sh" "$build" >/dev/null || exit 1
export UPWIZ_BIN=$build/upwiz BENCH_DUMP_BIN=$build/bench_dump BENCH_FLUSH_BIN=$build/bench_flush
export BENCH_OUT=${BENCH_OUT:-$(mktemp -d /tmp/upwiz-bench-out.XXXXXX)}
mkdir -p "$BENCH_OUT"
. "$here/lib.sh"
: >"$BENCH_OUT/results.tsv"
names=("$@")
[ ${#names[@]} -eq 0 ] && names=(check sqlapply backup logpane idle replay)

machine="$(nproc) CPU $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "upwiz benchmarks on: $machine"
bad=0
for n in "${names[@]}"; do
	echo "== $n"
	case $n in
	replay)
		# the recording helper's seek benchmark, when it is in the tree
		r=
		for c in "$build/bench_replay_seek" "$here/bench_replay_seek.sh"; do [ -x "$c" ] && { r=$c; break; }; done
		if [ -z "$r" ]; then
			echo "  (no bench_replay_seek in this tree: skipped)"
			continue
		fi
		out=$("$r" 2>&1); rc=$?
		echo "$out" | tail -3
		last=$(echo "$out" | grep -E 'median .* max' | tail -1)
		mx=$(echo "$last" | sed -nE 's/.*max ([0-9.]+) ms.*/\1/p')
		if [ -n "$mx" ]; then
			row "replay: jump to a step marker (1 h)" "max $mx ms" "< 100 ms" "$( [ $rc -eq 0 ] && echo met || echo MISSED)" "${last#replay_seek: }"
		else
			echo "!! replay seek could not run ($rc)"; bad=1
		fi
		;;
	*)
		bash "$here/$n.sh" || { echo "!! $n could not run"; bad=1; } ;;
	esac
done

echo
echo "upwiz benchmarks ($(date -u +%Y-%m-%d), $machine)"
printf '| %-38s | %-14s | %-12s | %-6s | %s\n' benchmark figure goal result note
printf '|%s|%s|%s|%s|%s\n' "$(printf -- '-%.0s' {1..40})" "$(printf -- '-%.0s' {1..16})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..8})" "------"
while IFS=$'\t' read -r name fig goal res note; do
	printf '| %-38s | %-14s | %-12s | %-6s | %s\n' "$name" "$fig" "$goal" "$res" "$note"
done <"$BENCH_OUT/results.tsv"
exit $bad
