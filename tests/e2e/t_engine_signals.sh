#!/usr/bin/env bash
# SIGTERM to a running engine (an operator's `kill`, a shutdown): the run aborts at the next safe
# point, says why in its log, journals the outcome, and a sandbox world is torn down (its
# mariadbd and HTTP simulator gone, its folder removed). Nothing is left behind.
set -u
bin=${UPWIZ_BIN:?}
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || { echo "skipped: mariadbd not installed"; exit 77; }
tmp=$(mktemp -d)
export XDG_STATE_HOME=$tmp/state
front=
cleanup() {
	exec 7>&- 2>/dev/null
	[ -n "$front" ] && kill "$front" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }

# The plain front end waits on a fifo nobody writes: the engine waits at the first question.
mkfifo "$tmp/in"
"$bin" sandbox linkis-1.3.2-to-1.4.0 --plain <"$tmp/in" >"$tmp/out" 2>&1 &
front=$!
exec 7>"$tmp/in"
for _ in $(seq 1 240); do grep -q "Acknowledge\|^?" "$tmp/out" 2>/dev/null && break; sleep 0.5; done
t "the run reached its first question" 'grep -q "^?" "$tmp/out"'
lock=$(ls "$XDG_STATE_HOME"/upwiz/locks/*.lock 2>/dev/null | head -1)
engine=$(sed -n 's/^pid \([0-9]*\) .*/\1/p' "$lock" 2>/dev/null)
run=$(ls -d "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
t "the lock names the engine's pid" '[ -n "$engine" ] && kill -0 "$engine"'
world_pids=$(pgrep -s "$(ps -o sid= -p "$engine" | tr -d " ")" 2>/dev/null | grep -vx "$engine" | tr "\n" " ")
t "the sandbox world runs (mariadbd in the engine's session)" '[ -n "$world_pids" ] && [ -d "$run/sandbox" ]'

kill -TERM "$engine"
for _ in $(seq 1 120); do kill -0 "$engine" 2>/dev/null || break; sleep 0.5; done
t "the engine exits after SIGTERM" '! kill -0 "$engine" 2>/dev/null'
wait "$front"; rc=$?
front=
t "the front end ends with exit 1 (aborted)" '[ $rc -eq 1 ]'
t "the log says SIGTERM was received" 'grep -q "SIGTERM received" "$run/run.log"'
t "the journal records the aborted outcome" 'grep -q "\"outcome\":\"aborted\"" "$run/journal.jsonl"'
left=0
for p in $world_pids; do kill -0 "$p" 2>/dev/null && { echo "still running: $(ps -o pid=,args= -p "$p")"; left=$((left+1)); }; done
t "no process of the world is left" '[ $left -eq 0 ]'
t "the sandbox folder is removed" '[ ! -d "$run/sandbox" ]'
t "the lock is free again" 'flock -n "$lock" true'

echo "passed $pass, failed $fail"
[ $fail -eq 0 ]
