#!/usr/bin/env bash
# bench/idle.sh: system calls of an idle wizard. The full-screen UI runs in tmux at 120x40 and
# waits at a question; `strace -c -f` is attached to the UI process for 10 s. Goal: none beyond
# the wait itself (the one poll/ppoll the UI sleeps in). The engine, also waiting, is counted
# the same way and reported next to it.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bin=${UPWIZ_BIN:?}
secs=${BENCH_IDLE_SECONDS:-10}
command -v strace >/dev/null || { row "idle: UI syscalls in ${secs} s" "n/a" "0 beyond wait" MISSED "strace not installed"; exit 0; }
w=$(mktemp -d /tmp/upwiz-bench-idle.XXXXXX)
sock=upwiz-bench-idle-$$
trap 'tmux -L "$sock" kill-server >/dev/null 2>&1; rm -rf "$w"' EXIT
printf 'TIMEFORMAT=%%R\n{ time seq "$1"; } 2>"$2.tmp"; mv "$2.tmp" "$2"\n' >"$w/flood.sh"
cat >"$w/answers.yaml" <<A
vars: { OUT: "$w", LINES: "3" }
answers: { flood: yes }
A
tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 -s wiz \
	"cd $w && TERM=screen-256color LANG=C.UTF-8 XDG_STATE_HOME=$w/state exec $bin run $here/profiles/bench-logpane.yaml --answers $w/answers.yaml"
ui=$(tmux -L "$sock" display-message -p -t wiz '#{pane_pid}')
for _ in $(seq 1 300); do
	tmux -L "$sock" capture-pane -p -t wiz | grep -q "measured" && break
	sleep 0.1
done
sleep 2   # let any spinner or fade settle
eng=
for p in $(pgrep -f "upwiz.*bench-logpane" 2>/dev/null); do [ "$p" != "$ui" ] && eng=$p; done
timeout -s INT "$secs" strace -c -f -p "$ui" -o "$w/ui.strace" 2>/dev/null
[ -n "$eng" ] && timeout -s INT "$secs" strace -c -f -p "$eng" -o "$w/eng.strace" 2>/dev/null
# strace -c: the "total" line holds the call count in column 4 (column 3 when there are no errors)
calls() { awk '$NF == "total" {print $(NF-2)+0; f=1} END {if (!f) print 0}' "$1" 2>/dev/null; }
list() { awk 'NR > 2 && $1 !~ /^-/ && $NF != "total" && NF >= 5 {printf "%s%s x%s", s, $NF, $4; s=", "}' "$1" 2>/dev/null; }
u=$(calls "$w/ui.strace"); ul=$(list "$w/ui.strace")
e=$( [ -f "$w/eng.strace" ] && calls "$w/eng.strace" || echo "?"); el=$( [ -f "$w/eng.strace" ] && list "$w/eng.strace")
echo "  UI ($ui): $u calls in ${secs} s [${ul:-none}]; engine (${eng:-?}): $e calls [${el:-none}]"
# beyond the wait: the one interrupted poll is the wait itself
v=$(verdict le "$u" 1)
row "idle: UI syscalls in ${secs} s" "$u" "<= 1 (wait)" "$v" "${ul:-none}; engine $e"
tmux -L "$sock" send-keys -t wiz q 2>/dev/null
