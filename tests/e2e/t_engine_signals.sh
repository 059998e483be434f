#!/usr/bin/env bash
# SIGTERM to a running engine (an operator's `kill`, a shutdown): the run aborts at the next safe
# point, says why in its log, journals the outcome, and a sandbox world is torn down (its
# mariadbd and HTTP simulator gone, its folder removed). Nothing is left behind.
# Then a sandbox whose front end dies (a trainee closes the terminal) and nobody attaches again:
# with UPWIZ_SANDBOX_DETACHED_MAX=3 it waits 3 s at its question, then ends itself the same way.
set -u
bin=${UPWIZ_BIN:?}
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || { echo "skipped: mariadbd not installed"; exit 77; }
tmp=$(mktemp -d)
front= engine=
cleanup() {
	exec 7>&- 2>/dev/null
	[ -n "$front" ] && kill "$front" 2>/dev/null
	# a failed check may leave an engine (and its world) running: end it before removing its folder
	if [ -n "$engine" ] && kill -TERM "$engine" 2>/dev/null; then
		for _ in $(seq 1 60); do kill -0 "$engine" 2>/dev/null || break; sleep 0.5; done
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }

# start_sandbox STATE [ENV...]: a sandbox run whose plain front end waits on a fifo nobody writes,
# so the engine waits at its first question. Sets front, engine, run, lock, world_pids.
start_sandbox() {
	export XDG_STATE_HOME=$1; shift
	rm -f "$tmp/in"; mkfifo "$tmp/in"
	env "$@" "$bin" sandbox linkis-1.3.2-to-1.4.0 --plain <"$tmp/in" >"$tmp/out" 2>&1 &
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
}
# world_gone: the engine has ended and taken its world with it
world_gone() {
	t "the journal records the aborted outcome" 'grep -q "\"outcome\":\"aborted\"" "$run/journal.jsonl"'
	local left=0 p
	for p in $world_pids; do kill -0 "$p" 2>/dev/null && { echo "still running: $(ps -o pid=,args= -p "$p")"; left=$((left+1)); }; done
	t "no process of the world is left" '[ $left -eq 0 ]'
	t "the sandbox folder is removed" '[ ! -d "$run/sandbox" ]'
	t "the lock is free again" 'flock -n "$lock" true'
}

# ---- 1. SIGTERM to the engine (after the operator took 2 s over the first question)
start_sandbox "$tmp/state"
t "without UPWIZ_SANDBOX_DETACHED_MAX the limit is an hour" 'grep -q "sandbox: a question left 60 min 00 s without a front end ends the run" "$run/run.log"'
sleep 2
echo yes >&7
for _ in $(seq 1 120); do grep -q '"id":"env-check","state":"running"' "$run/events.jsonl" && break; sleep 0.5; done
kill -TERM "$engine"
for _ in $(seq 1 120); do kill -0 "$engine" 2>/dev/null || break; sleep 0.5; done
t "the engine exits after SIGTERM" '! kill -0 "$engine" 2>/dev/null'
wait "$front"; rc=$?
front=
exec 7>&-
t "the front end ends with exit 1 (aborted)" '[ $rc -eq 1 ]'
t "the log says SIGTERM was received" 'grep -q "SIGTERM received" "$run/run.log"'
t "the summary gives the step's own time and the operator's apart" \
	'grep -qE "^     precautions +done +0\.[0-9] s \(\+ [2-9]\.[0-9] s answering\)$" "$tmp/out"'
t "the step the abort ended is not listed as done" 'grep -qE "^     env-check +(stopped|failed)( |$)" "$tmp/out"'
world_gone

# ---- 2. The front end dies and nobody attaches: the sandbox ends itself after the limit
start_sandbox "$tmp/state2" UPWIZ_SANDBOX_DETACHED_MAX=3
sleep 4   # longer than the limit, with the front end attached: nothing ends
t "the log says the limit set (3 s)" 'grep -q "sandbox: a question left 3.0 s without a front end ends the run" "$run/run.log"'
t "with a front end attached the sandbox waits past the limit" 'kill -0 "$engine" && ! grep -q "no front end attached" "$run/run.log"'
kill -KILL "$front"; wait "$front" 2>/dev/null
front=
exec 7>&-
sleep 1
t "one second after the front end died the engine still waits" 'kill -0 "$engine"'
for _ in $(seq 1 120); do kill -0 "$engine" 2>/dev/null || break; sleep 0.5; done
t "the engine ends by itself after 3 s alone" '! kill -0 "$engine" 2>/dev/null'
t "the log says why" 'grep -q "no front end attached for 3.0 s while the question \"precautions\" waited" "$run/run.log"'
world_gone
# a bad limit is refused before anything starts
XDG_STATE_HOME=$tmp/state3 UPWIZ_SANDBOX_DETACHED_MAX=soon "$bin" sandbox linkis-1.3.2-to-1.4.0 --plain </dev/null >"$tmp/bad" 2>&1; rc=$?
t "a limit that is not a number: exit 2 naming the variable" '[ $rc -eq 2 ] && grep -q "UPWIZ_SANDBOX_DETACHED_MAX" "$tmp/bad" && [ ! -d "$tmp/state3/upwiz/runs" ]'

echo "passed $pass, failed $fail"
[ $fail -eq 0 ]
