#!/bin/bash
# t_attach.sh: the engine apart from its UI, with the real sandbox engine in tmux at 80x24.
#   1. The full-screen UI answers up to the backup; while the backup works (made slow with
#      UPWIZ_DELAY) the UI process gets SIGHUP. The engine finishes the backup and waits at the
#      next question (sql-apply): seen in its event stream, no UI attached.
#   2. `upwiz attach` shows the whole state: the open question, the rail with the backup done and
#      the point of no return ("no way back" before Start, since the backup made the SQL, jar and
#      token steps reversible), and the log backlog (a search in the log pane finds a line written
#      before the UI attached).
#   3. The same during the SQL apply (each statement slowed): SIGHUP, the engine applies every
#      statement and waits at connector-jar; attach again shows it.
#   4. Two UIs: the second one attached is read-only ("Watching") and cannot answer; when the
#      first leaves (d), the second becomes the controller and its answer is taken.
#   5. `upwiz replay RUN-ID` plays every recording of the run joined (markers "screen N attached").
. "$(dirname "$0")/lib.sh"

command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || skip "no mariadbd for the sandbox world"

stop_engines_on_exit 30

# window-aware helpers (two UIs at once)
capw() { tmux -L "$SOCK" capture-pane -p -t "$1"; }
keyw() { tmux -L "$SOCK" send-keys -t "$1" "$2"; sleep 0.15; }
wait_w() {  # wait_w TARGET TEXT [SECONDS]
	local i
	for ((i = 0; i < ${3:-20} * 10; i++)); do
		capw "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	echo "---- $1 ----"; capw "$1"
	fail "did not see \"$2\" in $1 within ${3:-20}s"
}
# ui_pid TARGET: the upwiz process in the pane (the pane runs sh -c "env ... upwiz ...")
ui_pid() {
	local pp
	pp=$(tmux -L "$SOCK" display-message -p -t "$1" '#{pane_pid}')
	pgrep -P "$pp" | head -1
}
events() { cat "$run"/events.jsonl 2>/dev/null; }
has_event() { events | grep -qF -- "$1"; }
wait_event() {  # wait_event TEXT SECONDS
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		has_event "$1" && return 0
		sleep 0.1
	done
	fail "the engine did not emit $1 within $2 s"
}
answer_when() {  # answer_when TARGET QID: the question is open; press Enter (the default) when the bar offers it
	wait_event "\"t\":\"ask\",\"qid\":\"$2\"" 120
	local i
	for ((i = 0; i < 200; i++)); do
		capw "$1" | tail -n 1 | grep -qE "Enter (Continue|Choose)" && break
		sleep 0.1
	done
	keyw "$1" Enter
	wait_event "\"t\":\"answered\",\"qid\":\"$2\"" 30
}

start_ui "UPWIZ_DELAY=backup:2500,stmt_done:350" "sandbox linkis-1.3.2-to-1.4.0 --keep"
for ((i = 0; i < 1200; i++)); do
	cap | grep -qF "1/9 Precautions" && break
	cap | grep -q "UPWIZ-EXIT=" && { cap; skip "the sandbox did not start (see the screen above)"; }
	sleep 0.1
done
cap | grep -qF "1/9 Precautions" || fail "the sandbox run did not reach the first step in 120 s"
run=$(ls -d "$T"/upwiz/runs/* | head -1)
W=$(tmux -L "$SOCK" display-message -p '#{session_name}:#{window_index}')

answer_when "$W" precautions
answer_when "$W" env-check
answer_when "$W" clear-tables
wait_event '"t":"ask","qid":"backup"' 60
wait_w "$W" "What will be backed up" 10   # the plan, before any backup exists (not "How to restore")
answer_when "$W" backup

# ---- 1. SIGHUP the UI during the backup
pid=$(ui_pid "$W")
[ -n "$pid" ] || fail "no UI process in the pane"
has_event '"id":"backup","state":"done"' && fail "the backup was done before the hang-up: make it slower"
kill -HUP "$pid"
wait_w "$W" "UPWIZ-EXIT=" 10
has_event '"id":"backup","state":"done"' && echo "note: the backup finished while the UI went down"
wait_event '"id":"backup","state":"done"' 120
wait_event '"t":"ask","qid":"sql-apply"' 60
# the engine waits: nobody answers, so nothing moves on
sleep 2
has_event '"t":"answered","qid":"sql-apply"' && fail "the sql-apply question was answered with no UI attached"
has_event '"id":"sql-apply","state":"done"' && fail "the engine went on without an answer"
echo "ok: after SIGHUP during the backup, the engine finished it and waits at sql-apply"

# ---- 2. attach shows the whole state and the log backlog
start_ui "" "attach"
W=$(tmux -L "$SOCK" display-message -p '#{session_name}:#{window_index}')
wait_w "$W" "5/9 Database upgrade" 30
screen=$(capw "$W")
grep -qF "Steps 4/9 done" <<<"$screen" || { echo "$screen"; fail "the rail does not show the four steps done"; }
grep -qF "no way back" <<<"$screen" || { echo "$screen"; fail "the rail shows no point of no return"; }
# the marker sits right above Start: the steps the backup protects come before it
python3 - "$screen" <<'PY' || fail "the point of no return is not just before Start"
import sys
rows = sys.argv[1].split("\n")
i = next(i for i, r in enumerate(rows) if "no way back" in r)
assert "Start" in rows[i + 1], rows[i + 1]
assert not any("Database upgrade" in r.split("\u2502")[0] for r in rows[i:]), "sql-apply below the marker"
PY
echo "ok: attach shows the open question, 4/9 done and the point of no return before Start"
keyw "$W" Tab
keyw "$W" /
tmux -L "$SOCK" send-keys -t "$W" -l "building the sandbox world"
keyw "$W" Enter
wait_w "$W" "building the sandbox world" 10
echo "ok: the log backlog from before the attach is in the log pane"
keyw "$W" Escape   # clears the search
keyw "$W" End      # follows again
for ((i = 0; i < 5; i++)); do
	capw "$W" | tail -n 1 | grep -qF "Tab Back" || break
	keyw "$W" Tab  # back from the log pane to the question
done

# ---- 3. SIGHUP during the SQL apply
answer_when "$W" sql-apply
for ((i = 0; i < 100; i++)); do grep -q '"t":"stmt_done"' "$run/journal.jsonl" && break; sleep 0.1; done
has_event '"id":"sql-apply","state":"done"' && fail "the SQL apply was done before the hang-up: make it slower"
n_before=$(grep -c '"t":"stmt_done"' "$run/journal.jsonl")
kill -HUP "$(ui_pid "$W")"
wait_w "$W" "UPWIZ-EXIT=" 10
wait_event '"id":"sql-apply","state":"done"' 120
wait_event '"t":"ask","qid":"connector-jar"' 60
n_after=$(grep -c '"t":"stmt_done"' "$run/journal.jsonl")
[ "$n_after" -gt "$n_before" ] || fail "no statement was applied after the hang-up ($n_before -> $n_after)"
sleep 2
has_event '"t":"answered","qid":"connector-jar"' && fail "connector-jar was answered with no UI attached"
echo "ok: after SIGHUP during the SQL apply ($n_before of $n_after statements done then), the engine finished and waits"

# ---- 4. two UIs: A controls, B watches until A leaves
start_ui "" "attach"
A=$(tmux -L "$SOCK" display-message -p '#{session_name}:#{window_index}')
wait_w "$A" "6/9 MySQL driver" 30
tmux -L "$SOCK" new-window -d "env -i PATH='$PATH' HOME='$T' XDG_STATE_HOME='$T' TERM=tmux-256color LANG=C.UTF-8 $SAN_ENV $UPWIZ_BIN attach; echo UPWIZ-EXIT=\$?; sleep 60"
B=$(tmux -L "$SOCK" list-windows -F '#{session_name}:#{window_index}' | tail -1)
[ "$B" != "$A" ] || fail "no second window"
wait_w "$B" "6/9 MySQL driver" 30
wait_w "$B" "Watching" 10
capw "$A" | grep -qF "Watching" && fail "the first UI was made a watcher"
keyw "$B" Enter
sleep 1
has_event '"t":"answered","qid":"connector-jar"' && fail "the watcher's Enter answered the question"
echo "ok: the second UI is read-only"
keyw "$A" d
wait_w "$A" "UPWIZ-EXIT=" 10
for ((i = 0; i < 100; i++)); do capw "$B" | grep -qF "Watching" || break; sleep 0.1; done
capw "$B" | grep -qF "Watching" && { capw "$B"; fail "the watcher did not become the controller"; }
for ((i = 0; i < 100; i++)); do capw "$B" | tail -n 1 | grep -qF "Enter Continue" && break; sleep 0.1; done
keyw "$B" Enter
wait_event '"t":"answered","qid":"connector-jar"' 20
events | grep -F '"t":"answered","qid":"connector-jar"' | grep -q '"by":"operator"' ||
	events | grep -F '"t":"answered","qid":"connector-jar"' | head -1
echo "ok: when the first UI left, the second became the controller and answered"

# ---- 5. `upwiz replay RUN-ID` joins the run's recordings (one per UI): the player's step list
#      shows where each UI came back
ncast=$(ls "$run"/screen-*.cast | wc -l)
[ "$ncast" -ge 4 ] || fail "a recording per UI expected (4 or more), found $ncast"
start_ui "" "replay -s 4 $(basename "$run")" 80 25
wait_for "PLAY"
grep -qF "+ $((ncast - 1)) more" < <(cap) || { cap; fail "the player does not say it plays $ncast recordings"; }
key l
wait_for "screen 2 attached"
key q
key q
wait_for "UPWIZ-EXIT=0"
echo "ok: replay of the run plays its $ncast recordings joined, the step list marks each attach"
sanitizer_reports
echo "t_attach: all passed"
