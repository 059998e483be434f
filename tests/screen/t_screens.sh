#!/bin/bash
# t_screens.sh: the real full-screen UI (`upwiz attach`, the CLI's client, core's view, tui_run)
# against the scripted engine (fake_engine.py + linkis_story.py) in tmux at 80x24: all nine
# screens and the summary, the answers it sends, help, review, the log search, the pager,
# resizes to 100x30 and 60x20 (the too-small overlay) and back; then a watcher that must not
# answer, the abort and detach paths, NO_COLOR and a terminal that is not UTF-8.
. "$(dirname "$0")/lib.sh"

# ---- 1. a whole run, answered from the keyboard
start_fake
start_ui "PAGER='cp -t $T'" "attach R1"
wait_for "1/9 Precautions"
wait_for "I have read the precautions"
shows "1. First time with Linkis?"
shows "SANDBOX"
check_columns 80
key Enter
wait_for "1 check failed: Linkis ports free"
shows "Stop the 1.3.2 services"
shows "r Retry"
key r
wait_for "All checks passed (1 warning)"
key Enter

wait_for "3/9 Keep or clear the tables"
shows "DANGER"
key 2          # a hotkey never commits to a dangerous option
wait_for "Press Enter again"
recorded '"qid": "q4"' && fail "the dangerous option was sent by its hotkey"
key Up
key Enter
wait_for "5/9 Database upgrade"
recorded '"qid": "q4", "value": "1"' || fail "choice 1 was not sent"

wait_for "What failed"
shows "yarn队列名"
check_columns 80
key F1
wait_for "Help: Database upgrade"
key Escape
wait_gone "Help: Database upgrade"
key Escape     # look back at the backup
wait_for "REVIEW"
shows "4/9 Backup"
shows "How to restore"
key Enter
wait_gone "REVIEW"
key /
typed "yarn"
key Enter
wait_for "/yarn"
key Tab
key r
wait_for "7/9 Token sync"
wait_for "Write these changes"
shows "BML-…9c2e"
key Enter

wait_for "The upgrade finished successfully" 30
shows "Summary"
shows "exit code 0"
key PPage
key Tab
key F3         # the pager (cp -t) gets the log
sleep 0.5
ls "$T"/upwiz-log-* >/dev/null 2>&1 || fail "the pager did not get a copy of the log"
grep -qF "retrying statement 5" "$T"/upwiz-log-* || fail "the paged log lacks a line"
wait_for "Summary"
key Tab

resize 100 30
wait_for "upwiz │"
check_columns 100
resize 60 20
wait_for "terminal too small: 60x20, need 80x24"
resize 80 24
wait_for "The upgrade finished successfully"
check_columns 80

key q
wait_for "UPWIZ-EXIT=0"
shows "To restore:"
for a in '"qid": "q1", "value": "yes"' '"qid": "q2", "value": "retry"' '"qid": "q3", "value": "yes"' \
	'"qid": "q5", "value": "retry"' '"qid": "q6", "value": "yes"' '"cmd": "quit"'; do
	recorded "$a" || fail "not sent: $a"
done
stop_fake

# ---- 2. a watcher sees the question and cannot answer it
start_fake --role watch
start_ui "" "attach R1"
wait_for "Watching: this session cannot answer"
shows "WATCH"
key Enter
sleep 0.5
recorded '"t": "answer"' && fail "a watcher sent an answer"
key q
wait_for "stopped watching run R1"
wait_for "UPWIZ-EXIT=0"
stop_fake

# ---- 3. abort through the menu; the summary says so; exit code 1
start_fake
start_ui "" "attach R1"
wait_for "I have read the precautions"
key q
wait_for "Abort the run?"
key Escape
wait_gone "Abort the run?"
key C-c
wait_for "Abort the run?"
key y
wait_for "The run was aborted" 30
recorded '"cmd": "abort"' || fail "abort not sent"
key q
wait_for "UPWIZ-EXIT=1"
stop_fake

# ---- 4. detach: the engine goes on, the UI says how to come back
start_fake
start_ui "" "attach R1"
wait_for "I have read the precautions"
key d
wait_for "Re-attach with: upwiz attach R1"
wait_for "UPWIZ-EXIT=0"
stop_fake

# ---- 5. NO_COLOR: no colour escapes at all; a non-UTF-8 terminal: ASCII glyphs
start_fake
start_ui "NO_COLOR=1" "attach R1"
wait_for "I have read the precautions"
tmux -L "$SOCK" capture-pane -e -p | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|38;|48;)' &&
	fail "colour escapes with NO_COLOR set"
key d
wait_for "UPWIZ-EXIT=0"
stop_fake
start_fake
start_ui "LANG=C LC_ALL=C" "attach R1"
wait_for "Precautions"
key Enter
wait_for "Environment check"
wait_for "+ Precautions"
cap | grep -q "✓" && fail "UTF-8 glyphs on a terminal that is not UTF-8"
key d
wait_for "UPWIZ-EXIT=0"
stop_fake

# ---- 6. resume, text, secret and confirm questions
start_fake --extra
start_ui "" "attach R1"
wait_for "Resume it?"
shows "y Resume"
key y
wait_for "Linkis database host"
shows "127.0.0.1"
key BSpace
key C-u
typed "db1.example.com"
key Enter
wait_for "Linkis database password"
typed "s3cr3t-中"
wait_for "••••••••"
lacks "s3cr3t"
key Enter
wait_for "Type linkis exactly to confirm"
typed "linkix"
wait_for "does not match"
key Enter
wait_for 'not sent: type exactly "linkis"'
key BSpace
typed "s"
wait_for "matches: Enter confirms"
key Enter
wait_for "I have read the precautions"
recorded '"qid": "x1", "value": "yes"' || fail "resume not sent"
recorded '"qid": "x2", "value": "db1.example.com"' || fail "text not sent"
recorded '"qid": "x3", "value": "s3cr3t-中"' || fail "secret not sent"
recorded '"qid": "x4", "value": "linkis"' || fail "confirm not sent"
[ "$(grep -c '"qid": "x4"' "$T/rec.jsonl")" = 1 ] || fail "a confirmation that does not match was sent"
key d
wait_for "UPWIZ-EXIT=0"
stop_fake
# ---- 7. a flood of child output: drawn in coalesced frames, a fraction of it written
start_fake --auto --speed 1000 --flood 40000
start_ui "" "attach R1"
wait_for "The upgrade finished successfully" 120
shows "40,0"
pane=$(tmux -L "$SOCK" display -p '#{pane_pid}')
ui=$(pgrep -P "$pane" | head -1)
if [ -n "$ui" ] && [ -r "/proc/$ui/io" ]; then
	written=$(awk '/^wchar/ {print $2}' "/proc/$ui/io")
	raw=$(python3 "$UPWIZ_SOURCE_DIR/tests/screen/linkis_story.py" 40000 | python3 -c '
import json, sys
print(sum(len(json.loads(l).get("text", "").encode()) + 1 for l in sys.stdin if "\"log\"" in l))')
	echo "flood: $written bytes to the terminal for $raw bytes of log text"
	[ "$written" -lt $((raw / 10)) ] || fail "wrote $written bytes for $raw bytes of log (want < 1/10)"
fi
key q
wait_for "UPWIZ-EXIT=0"
stop_fake
sanitizer_reports
echo "ok"
