# lib.sh: helpers for the tmux screen tests (sourced, not run).
#
# Each test gets a private tmux server (-L), a private state folder, and a fake or real engine.
# The UI runs at 80x24 unless resized; the screen is read with capture-pane and compared as text.
# A test that cannot run prints why and exits 77 (ctest: skipped).

skip() { echo "skipped: $*"; exit 77; }

: "${UPWIZ_BIN:?UPWIZ_BIN is not set}"
: "${UPWIZ_SOURCE_DIR:?UPWIZ_SOURCE_DIR is not set}"
command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || skip "no C.UTF-8 locale"

T=$(mktemp -d "${TMPDIR:-/tmp}/upwiz-screen.XXXXXX")
# A sanitizer build reports into files the test looks at when it ends (sanitizer_reports).
SAN_ENV="ASAN_OPTIONS='log_path=$T/asan:detect_leaks=1' UBSAN_OPTIONS='print_stacktrace=1:log_path=$T/ubsan'"
SOCK=upwiz-test-$$
FAKE_PID=
ENGINES_WAIT=
cleanup() {
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" >/dev/null 2>&1
	[ -n "$ENGINES_WAIT" ] && stop_engines "$ENGINES_WAIT"
	rm -rf "$T"
}
trap cleanup EXIT

# stop_engines SECONDS: asks every engine under $T/upwiz/runs to abort through its socket (as a
# client would), waits up to SECONDS for it to say "finished", then tells it to quit.
stop_engines() {
	local sock
	for sock in "$T"/upwiz/runs/*/engine.sock; do
		[ -S "$sock" ] || continue
		python3 - "$sock" "$1" <<'PY' >/dev/null 2>&1
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(b'{"t":"cmd","cmd":"abort"}\n')
buf, end = b"", time.time() + float(sys.argv[2])
try:
    while time.time() < end and b'"finished"' not in buf:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf = buf[-65536:] + chunk
except OSError:
    pass
try:
    s.sendall(b'{"t":"cmd","cmd":"quit"}\n')
except OSError:
    pass
PY
	done
	sleep 1
}

# stop_engines_on_exit SECONDS: for a test that runs real engines (upwiz sandbox). The engine
# outlives its UI by design; whatever way the test ends, every engine it started is asked to
# abort (stop_engines SECONDS) after the tmux server is gone, so no sandbox world is left running.
stop_engines_on_exit() {
	command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (needed to stop the engine)"
	ENGINES_WAIT=$1
}

fail() {
	echo "FAIL: $*"
	echo "---- screen ----"
	tmux -L "$SOCK" capture-pane -p 2>/dev/null
	echo "----------------"
	exit 1
}

cap() { tmux -L "$SOCK" capture-pane -p; }
key() { tmux -L "$SOCK" send-keys "$@"; sleep 0.15; }
typed() { tmux -L "$SOCK" send-keys -l "$1"; sleep 0.15; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT (fixed string). The wait is by the wall
# clock and generous (default 30 s): on a loaded 2-core machine a screen can take seconds, and a
# wait only costs time when the test is failing anyway. UPWIZ_TEST_WAIT_SCALE multiplies it.
wait_for() {
	local text=$1 secs=$(( ${2:-30} * ${UPWIZ_TEST_WAIT_SCALE:-1} )) end
	end=$((SECONDS + secs))
	while ((SECONDS <= end)); do
		cap | grep -qF -- "$text" && return 0
		sleep 0.1
	done
	fail "did not see \"$text\" within ${secs}s"
}

# wait_gone TEXT [SECONDS]
wait_gone() {
	local text=$1 secs=$(( ${2:-30} * ${UPWIZ_TEST_WAIT_SCALE:-1} )) end
	end=$((SECONDS + secs))
	while ((SECONDS <= end)); do
		cap | grep -qF -- "$text" || return 0
		sleep 0.1
	done
	fail "\"$text\" still on screen after ${secs}s"
}

shows() { cap | grep -qF -- "$1" || fail "expected \"$1\" on screen"; }
lacks() { cap | grep -qF -- "$1" && fail "did not expect \"$1\" on screen"; return 0; }

# start_ui "ENV..." "ARGS" [W H]: runs upwiz ARGS in a fresh tmux server with a clean environment.
start_ui() {
	local envs=$1 args=$2 w=${3:-80} h=${4:-24} i
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	# A server that is still going away would take the new session down with it.
	for ((i = 0; i < 50; i++)); do
		tmux -L "$SOCK" has-session >/dev/null 2>&1 || break
		sleep 0.1
	done
	sleep 0.2
	tmux -L "$SOCK" -f /dev/null new-session -d -x "$w" -y "$h" \
		"env -i PATH='$PATH' HOME='$T' XDG_STATE_HOME='$T' TERM=tmux-256color LANG=C.UTF-8 $SAN_ENV $envs $UPWIZ_BIN $args; echo UPWIZ-EXIT=\$?; sleep 60" ||
		fail "tmux could not start a session"
	tmux -L "$SOCK" has-session >/dev/null 2>&1 || fail "the tmux session died at once"
}

resize() { tmux -L "$SOCK" resize-window -x "$1" -y "$2"; sleep 0.3; }

# Every row of the screen fits the width in display columns, and the step rail's border sits in
# the same column on every row that has one (CJK text on a row must not push it).
check_columns() {
	local width=$1
	cap | python3 -c '
import sys, unicodedata
width = int(sys.argv[1])
def w(s):
    n = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return n
cols = set()
for i, line in enumerate(sys.stdin.read().split("\n")[1:-3]):
    if w(line) > width:
        sys.exit("row %d is %d columns wide: %r" % (i + 1, w(line), line))
    if "\u2502" in line[:40]:
        cols.add(w(line[:line.index("\u2502")]))
if len(cols) > 1:
    sys.exit("the rail border moves between columns %s" % sorted(cols))
' "$width" || fail "column check at width $width"
}

# start_fake ARGS...: the scripted engine on STATE/upwiz/runs/R1/engine.sock.
start_fake() {
	command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (the fake engine is Python)"
	mkdir -p "$T/upwiz/runs/R1"
	# The previous fake's socket file would satisfy the wait below before the new one listens.
	rm -f "$T/rec.jsonl" "$T/upwiz/runs/R1/engine.sock"
	python3 "$UPWIZ_SOURCE_DIR/tests/screen/fake_engine.py" "$T/upwiz/runs/R1/engine.sock" \
		--record "$T/rec.jsonl" "$@" >"$T/fake.log" 2>&1 &
	FAKE_PID=$!
	local i
	for ((i = 0; i < 100; i++)); do
		[ -S "$T/upwiz/runs/R1/engine.sock" ] && return 0
		sleep 0.05
	done
	cat "$T/fake.log"
	fail "the fake engine did not start"
}

stop_fake() {
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" >/dev/null 2>&1
	wait "$FAKE_PID" 2>/dev/null
	FAKE_PID=
}

# Fails when a sanitizer build of the UI reported anything during the test.
sanitizer_reports() {
	local f
	for f in "$T"/asan.* "$T"/ubsan.*; do
		[ -e "$f" ] || continue
		echo "---- $f ----"
		head -60 "$f"
		fail "sanitizer report"
	done
}

recorded() { [ -f "$T/rec.jsonl" ] && grep -qF -- "$1" "$T/rec.jsonl"; }
