#!/usr/bin/env bash
# bench/check.sh: `upwiz check PROFILE` per bundled profile. Goal < 20 ms each.
# Two figures per profile, best of 10 runs each:
#   process: the whole `upwiz check ID` (fork, exec, dynamic loading of every library, load,
#            validate), as the shell sees it; /bin/true timed the same way is printed beside it
#   check:   the profile's own cost, (t(check ID x 41) - t(check ID)) / 40: upwiz check takes
#            many profiles in one process, so the difference is load + validate alone.
# The dynamic loader's share is printed from LD_DEBUG=statistics (cycles).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bin=${UPWIZ_BIN:?}
# Timed with bash's $EPOCHREALTIME, which costs no process: lib.sh's `now` forks `date`, and on
# this VM a fork + exec is ~5 ms, about the whole figure being measured.
best_ms() {   # best wall ms of 10 runs of "$@"
	local best=999999999 t0 t1
	for _ in $(seq 1 10); do
		t0=${EPOCHREALTIME/[.,]/}
		"$@" >/dev/null 2>&1
		t1=${EPOCHREALTIME/[.,]/}
		[ $((t1 - t0)) -lt "$best" ] && best=$((t1 - t0))
	done
	echo "$best / 1000" | bc -l
}
mapfile -t ids < <("$bin" list 2>/dev/null | awk 'NF {print $1}' | grep -E '^[a-z0-9.-]+$')
cyc=$(LD_DEBUG=statistics "$bin" --version 2>&1 | awk '/total startup time in dynamic loader/ {print $(NF-1)}')
nlib=$(ldd "$bin" | wc -l)
floor=$(best_ms /bin/true)   # what any program costs to start from this shell (fork + exec)
for id in "${ids[@]}"; do
	if ! "$bin" check "$id" >/dev/null 2>&1; then
		row "check $id" "fails" "< 20 ms" MISSED "upwiz check exits non-zero"
		continue
	fi
	one=$(best_ms "$bin" check "$id")
	many=()
	for _ in $(seq 1 41); do many+=("$id"); done
	lots=$(best_ms "$bin" check "${many[@]}")
	own=$(echo "($lots - $one) / 40" | bc -l)
	le "$own" 0 && own=0.01
	row "check $id (profile)" "$(fmt "$own" 2) ms" "< 20 ms" "$(verdict lt "$own" 20)" "load + validate, in process"
	row "check $id (process)" "$(fmt "$one" 1) ms" "< 20 ms" "$(verdict lt "$one" 20)" \
		"whole exec; loader ${cyc:-?} cycles for $nlib libraries; /bin/true: $(fmt "$floor" 1) ms"
done
