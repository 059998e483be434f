#!/bin/bash
# t_record.sh: a real sandbox run (Linkis profile, golden answers) in the full-screen UI in tmux,
# recorded, then checked from the support engineer's side:
#   - the recording: asciicast v2, 0600, header (80x24, timestamp, title, env with TERM/SHELL
#     only), every line valid JSON, "r" events for the resizes, one "STEP done" marker per step
#     the engine finished, in the engine's order;
#   - core/vt.c's last screen (upwiz replay --print) equals tmux's capture-pane at the end;
#   - the player (upwiz replay) shows that same screen at End, and `]` lands on the first step;
#   - asciinema itself accepts the file (asciinema cat; asciinema play in tmux);
#   - no secret of the world (database password, full gateway tokens) in recordings or bundle;
#   - upwiz watch on the live engine shows the run read-only and records screen-2.cast;
#   - replay --plain tells the story with times; sessions lists the run; the bundle's MANIFEST
#     verifies with sha256sum -c.
. "$(dirname "$0")/../screen/lib.sh"

command -v mariadbd >/dev/null 2>&1 || command -v mysqld >/dev/null 2>&1 ||
	[ -x /usr/sbin/mariadbd ] || [ -x /usr/sbin/mysqld ] || skip "no mariadbd for the sandbox world"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

# The UI in tmux inherits only what start_ui passes; the commands below use the same state.
export XDG_STATE_HOME=$T HOME=$T LANG=C.UTF-8
PROFILE=linkis-1.3.2-to-1.4.0

start_ui "" "sandbox $PROFILE --golden --keep"
deadline=$((SECONDS + 300))
while :; do
	screen=$(cap)
	grep -qF "The upgrade finished" <<<"$screen" && break
	if grep -qF "UPWIZ-EXIT=" <<<"$screen"; then
		grep -qiE "sandbox|mariadb|world" <<<"$screen" && skip "the sandbox did not start: $(tail -n 3 <<<"$screen")"
		fail "the UI ended before the run finished"
	fi
	((SECONDS > deadline)) && fail "the golden sandbox run did not finish within 300 s"
	sleep 0.1
done
# Resizes while recording ("r" events), then back to 80x24 for the comparison.
resize 100 30
wait_for "The upgrade finished"
resize 80 24
sleep 1.5
wait_for "The upgrade finished"
cap >"$T/final.txt"

# A watcher on the live engine (it lingers until its last front end leaves): read-only, sees the
# summary, records its own screen-2.cast.
live=$(ls -d "$T"/upwiz/runs/*/ | head -1)
live=$(basename "$live")
tmux -L "$SOCK" new-window -d -n watch \
	"env -i PATH='$PATH' HOME='$T' XDG_STATE_HOME='$T' TERM=tmux-256color LANG=C.UTF-8 $SAN_ENV $UPWIZ_BIN watch $live; echo WATCH-EXIT=\$?; sleep 60"
wcap() { tmux -L "$SOCK" capture-pane -p -t watch; }
for ((i = 0; i < 150; i++)); do wcap | grep -qF "The upgrade finished" && break; sleep 0.1; done
wcap | grep -qF "The upgrade finished" || { wcap; fail "upwiz watch does not show the finished run"; }
wcap | grep -qF "WATCH" || { wcap; fail "upwiz watch does not say it is a watcher"; }
tmux -L "$SOCK" send-keys -t watch q
for ((i = 0; i < 100; i++)); do wcap | grep -q "WATCH-EXIT=" && break; sleep 0.1; done
wcap | grep -q "WATCH-EXIT=0" || { wcap; fail "upwiz watch did not end with 0"; }
[ -f "$T/upwiz/runs/$live/screen-2.cast" ] || fail "the watcher did not record screen-2.cast"
echo "ok: upwiz watch on the live engine, recorded as screen-2.cast"

key q
for ((i = 0; i < 100; i++)); do cap | grep -q "UPWIZ-EXIT=" && break; sleep 0.1; done
cap | grep -q "UPWIZ-EXIT=0" || fail "the UI did not end with exit 0"
tmux -L "$SOCK" kill-window -t watch >/dev/null 2>&1

run=$(ls -d "$T"/upwiz/runs/*/ | head -1)
run=${run%/}
id=$(basename "$run")
cast=$run/screen-1.cast
[ -f "$cast" ] || fail "no recording $cast (files: $(ls "$run"))"
[ "$(stat -c %a "$cast")" = 600 ] || fail "the recording is not 0600"
echo "recording: $(wc -c <"$cast") bytes, $(wc -l <"$cast") lines"

# Format, header, markers against the engine's own step events.
python3 - "$cast" "$run/events.jsonl" <<'PY' || fail "recording format / markers"
import json, sys
cast, events = sys.argv[1], sys.argv[2]
lines = open(cast, encoding="utf-8").read().split("\n")
assert lines[-1] == "", "the file must end with a newline"
hdr = json.loads(lines[0])
assert hdr["version"] == 2 and hdr["width"] == 80 and hdr["height"] == 24, hdr
assert isinstance(hdr["timestamp"], int) and hdr["title"], hdr
assert set(hdr["env"]) <= {"TERM", "SHELL"} and hdr["env"].get("TERM") == "tmux-256color", hdr["env"]
evs = [json.loads(l) for l in lines[1:-1]]
last = 0
for t, code, data in evs:
    assert code in "orm", code
    assert t >= last, "time goes backwards"
    last = t
assert not any(c == "i" for _, c, _ in evs), "keyboard input recorded"
resizes = [d for _, c, d in evs if c == "r"]
assert "100x30" in resizes and resizes[-1] == "80x24", resizes
marks = [d for _, c, d in evs if c == "m"]
done_marks = [m.split(" ")[0] for m in marks if m.endswith(" done")]
done_steps = []
for l in open(events, encoding="utf-8"):
    e = json.loads(l)
    assert "ts" in e, "an event without ts: %s" % l[:80]
    if e.get("t") == "step" and e.get("state") == "done":
        done_steps.append(e["id"])
assert len(done_steps) == 9, done_steps
assert done_marks == done_steps, (done_marks, done_steps)
for sid in done_steps:    # each step's start marker comes before its end marker
    assert "%s running" % sid in marks, (sid, marks)
    assert marks.index("%s running" % sid) < marks.index("%s done" % sid), (sid, marks)
frames = sum(1 for _, c, _ in evs if c == "o")
print("ok: %d frames, %d markers, resizes %s" % (frames, len(marks), resizes))
PY

# The virtual terminal's last screen is what tmux showed.
norm() { python3 -c '
import sys
rows = [r.rstrip() for r in open(sys.argv[1], encoding="utf-8").read().split("\n")]
while rows and not rows[-1]:
    rows.pop()
print("\n".join(rows))' "$1"; }
"$UPWIZ_BIN" replay --print "$cast" >"$T/vt.txt" || fail "replay --print failed"
norm "$T/final.txt" >"$T/a" && norm "$T/vt.txt" >"$T/b"
diff "$T/a" "$T/b" >"$T/diff" || { cat "$T/diff"; fail "vt.c's last screen differs from capture-pane"; }
echo "ok: vt last screen == capture-pane ($(wc -l <"$T/a") rows)"

# The player: End shows the same screen (24 rows above the progress line in an 80x25 window).
start_ui "" "replay -s 4 $cast" 80 25
wait_for "PLAY"
key End
wait_for "END"
cap | head -n 24 >"$T/player.txt"
norm "$T/player.txt" >"$T/c"
diff "$T/a" "$T/c" >"$T/diff" || { cat "$T/diff"; fail "the player's last frame differs from capture-pane"; }
key Home
key ']'
sleep 0.5
first=$(python3 -c 'import json,sys; print([json.loads(l)[2] for l in open(sys.argv[1]).read().split("\n")[1:-1] if json.loads(l)[1]=="m"][0])' "$cast")
wait_for "step: $first"
key l
wait_for "$first"
key q
key q
wait_for "UPWIZ-EXIT=0"
echo "ok: player End frame == capture-pane; ] lands on \"$first\""

# asciinema accepts the file.
if command -v asciinema >/dev/null 2>&1; then
	# Both want a terminal (cat opens /dev/tty): run them in tmux, not through start_ui (upwiz).
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	sleep 0.3
	tmux -L "$SOCK" -f /dev/null new-session -d -x 80 -y 24 \
		"env -i PATH='$PATH' HOME='$T' TERM=tmux-256color LANG=C.UTF-8 sh -c 'asciinema cat \"$cast\" >\"$T/acat\" 2>\"$T/acat.err\"; echo CAT=\$?; asciinema play -i 0.05 -s 50 \"$cast\" >/dev/null; echo PLAY=\$?'; echo UPWIZ-EXIT; sleep 60" ||
		fail "tmux could not start asciinema"
	for ((i = 0; i < 600; i++)); do [ -s "$T/acat" ] && cap | grep -q "UPWIZ-EXIT" && break; sleep 0.1; done
	grep -q "CAT=0" < <(cap) || { cat "$T/acat.err"; fail "asciinema cat rejected the recording"; }
	grep -q "PLAY=0" < <(cap) || fail "asciinema play did not end with 0"
	grep -qF "The upgrade finished" "$T/acat" || fail "asciinema cat's output lacks the final screen's text"
	echo "ok: asciinema cat and play accept the recording"
else
	echo "note: asciinema not installed (scripts/deps.sh installs it): not checked"
fi

# replay --plain, sessions, bundle.
"$UPWIZ_BIN" replay --plain "$id" >"$T/plain.txt" || fail "replay --plain failed"
for want in "Run $id" "==> step precautions: running" "<== step verify: done" "> [" " SQL " " * " "=== finished: success"; do
	grep -qF -- "$want" "$T/plain.txt" || { head -50 "$T/plain.txt"; fail "replay --plain lacks \"$want\""; }
done
grep -qE '^[0-9]{2}:[0-9]{2}:[0-9]{2} \+0:[0-9]{2}:[0-9]{2} ' "$T/plain.txt" || fail "replay --plain lines carry no times"
"$UPWIZ_BIN" sessions >"$T/sessions.txt" || fail "sessions failed"
grep -E "^$id +$PROFILE .* success" "$T/sessions.txt" >/dev/null || { cat "$T/sessions.txt"; fail "sessions does not list the run"; }
( cd "$T" && "$UPWIZ_BIN" bundle "${id:0:17}" -o "$T/bundle.tar.gz" ) >"$T/bundle.out" || { cat "$T/bundle.out"; fail "bundle failed"; }
[ "$(stat -c %a "$T/bundle.tar.gz")" = 600 ] || fail "the bundle is not 0600"
mkdir "$T/unpacked" && tar -xzf "$T/bundle.tar.gz" -C "$T/unpacked" || fail "tar cannot read the bundle"
( cd "$T/unpacked/upwiz-$id" && sha256sum -c --quiet MANIFEST ) || fail "MANIFEST does not verify"
for f in events.jsonl screen-1.cast run.log journal.jsonl profile.yaml run.json; do
	grep -qE "^[0-9a-f]{64}  $f\$" "$T/unpacked/upwiz-$id/MANIFEST" || fail "MANIFEST lacks $f"
done
echo "ok: replay --plain, sessions, bundle (MANIFEST verified)"

# Secrets: the world's database password and every full token anywhere in the world.
secrets=()
while IFS= read -r s; do [ -n "$s" ] && secrets+=("$s"); done < <(grep -rhoE "(BML|WS|DSM|LINKIS_CLI|QML|DSS|QUALITIS|VALIDATOR|LINKISCLI)-[0-9a-f]{32}" "$run/sandbox" 2>/dev/null | sort -u)
pw=$(grep -rhoE "MYSQL_PASSWORD=[^ ]+" "$run/sandbox" 2>/dev/null | head -1 | cut -d= -f2- | tr -d "'\"")
[ -n "$pw" ] && secrets+=("$pw")
[ ${#secrets[@]} -gt 0 ] || fail "found no secrets in the kept world to look for"
for s in "${secrets[@]}"; do
	if grep -rqF -- "$s" "$run"/screen-*.cast "$T/unpacked" "$T/plain.txt" "$T/acat" 2>/dev/null; then
		fail "a secret (${s:0:4}...) is in a recording, the bundle or the replay"
	fi
done
echo "ok: ${#secrets[@]} secrets, none in recordings, bundle or replay"
sanitizer_reports
echo "PASS"
