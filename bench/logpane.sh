#!/usr/bin/env bash
# bench/logpane.sh: a child printing BENCH_LOG_LINES lines (default 1,000,000, ~75 bytes each)
# into the full-screen wizard running in tmux at 120x40, vs the same child printing raw into a
# tmux pane of the same size. Figures:
#   time:  the child's own wall time (bash `time` around it, written by the child) in the
#          wizard / raw. Goal <= 0.5 (the pane must not hold the child back; raw is held back
#          by the terminal).
#   bytes: what the UI process wrote (/proc/PID/io wchar: its terminal output, plus a few
#          answers on the socket) / the raw output's size. Goal <= 2 %.
#   RSS:   the UI's peak resident set (VmHWM) after the flood. Goal <= 20 MB. The engine's is
#          reported next to it.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bin=${UPWIZ_BIN:?}
lines=${BENCH_LOG_LINES:-1000000}
w=$(mktemp -d /tmp/upwiz-bench-log.XXXXXX)
sock=upwiz-bench-$$
trap 'tmux -L "$sock" kill-server >/dev/null 2>&1; rm -rf "$w"' EXIT
command -v tmux >/dev/null || { echo "no tmux"; exit 1; }

cat >"$w/flood.sh" <<'F'
# flood.sh LINES TIMEFILE: prints LINES lines and writes its own wall time (s) to TIMEFILE
TIMEFORMAT=%R
{ time awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "line %d: the quick brown fox jumps over the lazy dog 0123456789\n", i }'; } 2>"$2.tmp"
mv "$2.tmp" "$2"
F
raw_bytes=$(awk -v n="$lines" 'BEGIN { for (i = 1; i <= n; i++) printf "line %d: the quick brown fox jumps over the lazy dog 0123456789\n", i }' | wc -c)

wait_file() {   # FILE SECONDS
	for _ in $(seq 1 $(($2 * 10))); do [ -s "$1" ] && return 0; sleep 0.1; done
	return 1
}

# raw: the child straight into a 120x40 pane
tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 -s raw "bash $w/flood.sh $lines $w/raw.time; sleep 3600"
wait_file "$w/raw.time" 1800 || { echo "raw run did not finish"; exit 1; }
raw=$(cat "$w/raw.time")
tmux -L "$sock" kill-session -t raw

# the wizard: the answers file runs the flood step; the next step's question stays open
cat >"$w/answers.yaml" <<A
vars: { OUT: "$w", LINES: "$lines" }
answers: { flood: yes }
A
tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 -s wiz \
	"cd $w && TERM=screen-256color LANG=C.UTF-8 XDG_STATE_HOME=$w/state exec $bin run $here/profiles/bench-logpane.yaml --answers $w/answers.yaml"
ui=$(tmux -L "$sock" display-message -p -t wiz '#{pane_pid}')
wait_file "$w/child.time" 1800 || { echo "wizard run did not finish"; tmux -L "$sock" capture-pane -p -t wiz; exit 1; }
wiz=$(cat "$w/child.time")
# let the UI catch up with the last lines, then read its counters while it waits at 'end'
for _ in $(seq 1 600); do
	tmux -L "$sock" capture-pane -p -t wiz | grep -q "line $lines:" && break
	sleep 0.1
done
sleep 1
wchar=$(awk '/^wchar/ {print $2}' "/proc/$ui/io" 2>/dev/null)
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$ui/status" 2>/dev/null)
ehwm=
for p in $(pgrep -f "upwiz.*bench-logpane" 2>/dev/null); do
	[ "$p" = "$ui" ] && continue
	ehwm=$(awk '/^VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null)
done
tmux -L "$sock" send-keys -t wiz q 2>/dev/null

ratio=$(echo "$wiz / $raw" | bc -l)
pct=$(echo "100 * ${wchar:-0} / $raw_bytes" | bc -l)
mb=$(echo "${hwm:-0} / 1024" | bc -l)
echo "  $lines lines, $raw_bytes bytes: child raw $raw s, in the wizard $wiz s; UI wrote ${wchar:-?} bytes; UI peak RSS ${hwm:-?} kB, engine ${ehwm:-?} kB"
row "log pane ${lines} lines: time wizard/raw" "$(fmt "$ratio" 3)" "<= 0.5" "$(verdict le "$ratio" 0.5)" "raw $(fmt "$raw" 1) s, wizard $(fmt "$wiz" 1) s"
row "log pane: bytes to terminal" "$(fmt "$pct" 3) %" "<= 2 %" "$(verdict le "$pct" 2)" "${wchar:-?} of $raw_bytes bytes"
row "log pane: UI peak RSS" "$(fmt "$mb" 1) MB" "<= 20 MB" "$(verdict le "$mb" 20)" "engine $(( ${ehwm:-0} / 1024 )) MB"
