#!/usr/bin/env bash
# t_flood.sh: a child flooding the real wizard (full screen, tmux at 120x40). The child prints
# 200,000 lines in big bursts with a password inside every 997th, then a line whose password is
# split across two writes with a pause between (the engine reads the line in two pieces), then
# three tail lines. Checked:
#   - the log pane shows the tail lines (the live tail: a UI that fell behind is caught up);
#   - events.jsonl has one `out` log event per line, every line, in order, and run.log the same;
#   - `upwiz replay --plain` prints every line from events.jsonl;
#   - the password is masked in both (every 997th line and the split one), and is in no file
#     under the state folder (events, log, journal, recording, engine output) nor on the screen.
# The child reads the password from a file: a secret never goes to a child by argv or env.
. "$(dirname "$0")/lib.sh"

N=200000
pw='Fl00d-s3cret-pw'
mkdir -p "$T/w"
printf '%s' "$pw" > "$T/w/pw"
cat > "$T/w/flood.sh" <<'F'
pw=$(cat "$1/pw")
awk -v n="$2" -v s="$pw" 'BEGIN { for (i = 1; i <= n; i++) if (i % 997 == 0) printf "flood %d: pw=%s end\n", i, s; else printf "flood %d: the quick brown fox jumps over the lazy dog\n", i }'
printf 'split: %s' "${pw:0:6}"; sleep 0.5; printf '%s done\n' "${pw:6}"
for i in 1 2 3; do echo "tail line $i"; done
F
cat > "$T/w/flood.yaml" <<Y
id: t-flood
title: "Flood"
from: "0"
to: "1"
target: "flood \${OUT}"
vars:
  OUT: { prompt: "folder", type: dir }
  PW: { prompt: "a password the child prints", type: secret }
steps:
  - id: flood
    title: Flood
    screen: command
    commands:
      - title: "a child printing $N lines"
        run: "bash \${OUT}/flood.sh \${OUT} $N"
        timeout: 600
  - id: end
    title: End
    screen: precautions
    items: [ "flooded" ]
Y
cat > "$T/w/answers.yaml" <<A
vars: { OUT: "$T/w" }
answers: { flood: yes }
A

start_ui "UPWIZ_VAR_PW='$pw'" "run $T/w/flood.yaml --answers $T/w/answers.yaml" 120 40
wait_for "tail line 3" 300
shows "tail line 2"
lacks "$pw"
run=$(ls -d "$T"/upwiz/runs/* | head -1)
[ -f "$run/events.jsonl" ] || fail "no events.jsonl in $run"

# The engine may still be finishing the run: wait for its last event.
for ((i = 0; i < 600; i++)); do
	grep -q '"t":"finished"' "$run/events.jsonl" && break
	sleep 0.1
done
grep -q '"t":"finished"' "$run/events.jsonl" || fail "the run did not finish"

outs=$(grep '"level":"out"' "$run/events.jsonl" | grep -o '"text":"[^"]*"')
total=$(printf '%s\n' "$outs" | wc -l)
[ "$total" -eq $((N + 4)) ] || fail "events.jsonl has $total output lines, not $((N + 4))"
printf '%s\n' "$outs" | awk -v n=$N '
	NR <= n { if ($0 !~ "^\"text\":\"flood " NR ": ") { print "line " NR " out of order: " $0; exit 1 } next }
	NR == n + 1 { if ($0 != "\"text\":\"split: ******** done\"") { print "split line: " $0; exit 1 } next }
	{ if ($0 != "\"text\":\"tail line " NR - n - 1 "\"") { print "tail: " $0; exit 1 } }' ||
	fail "events.jsonl: the output lines are not all there in order"
masked=$(printf '%s\n' "$outs" | grep -c 'pw=\*\*\*\*\*\*\*\* end')
[ "$masked" -eq $((N / 997)) ] || fail "events.jsonl: $masked masked lines, not $((N / 997))"

logged=$(grep -F ' out   [flood] ' "$run/run.log" | sed 's/^.* out   \[flood\] //')
[ "$(printf '%s\n' "$logged" | wc -l)" -eq $((N + 4)) ] || fail "run.log does not have every output line"
printf '%s\n' "$logged" | awk -v n=$N '
	NR <= n { if (index($0, "flood " NR ": ") != 1) { print "line " NR " out of order: " $0; exit 1 } next }
	NR == n + 1 { if ($0 != "split: ******** done") { print "split line: " $0; exit 1 } next }
	{ if ($0 != "tail line " NR - n - 1) { print "tail: " $0; exit 1 } }' ||
	fail "run.log: the output lines are not all there in order"

# the event file's reader: replay --plain prints the lines, masked
rid=$(basename "$run")
XDG_STATE_HOME=$T "$UPWIZ_BIN" replay --plain "$rid" > "$T/replay.txt" 2>&1 || fail "replay --plain failed: $(head -5 "$T/replay.txt")"
grep -qF "split: ******** done" "$T/replay.txt" || fail "replay --plain does not show the split line masked"
grep -qF "tail line 3" "$T/replay.txt" || fail "replay --plain does not show the last line"
[ "$(grep -c 'flood [0-9]*: ' "$T/replay.txt")" -eq "$N" ] || fail "replay --plain does not show every line"

leak=$(grep -rlF -- "$pw" "$T/upwiz" 2>/dev/null | head -3)
[ -z "$leak" ] || fail "the password is in $leak"
# also no piece of it that only a split would leave behind, next to the text around it
grep -rlF -- "split: ${pw:0:6}" "$T/upwiz" >/dev/null 2>&1 && fail "the first half of the split password was logged"

tmux -L "$SOCK" send-keys q
sanitizer_reports
echo "ok: $((N + 4)) lines in order in events.jsonl and run.log, masked, the tail on screen"
