# lib.sh: shared by tests/sandbox/t_*.sh (sourced; not a test itself).
# Each test: its own XDG_STATE_HOME, removed on exit; engines it started are aborted through
# their own run folders only (never by name: other helpers run upwiz and mariadbd too).
bin=${UPWIZ_BIN:?UPWIZ_BIN is set by ctest}
src=${UPWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
profile=${profile:-linkis-1.3.2-to-1.4.0}   # a test of another profile sets it before sourcing
world="$src/assets/$profile/world"
export XDG_STATE_HOME=$(mktemp -d /tmp/upwiz-sbxtest.XXXXXX)
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
need_mariadb() {
	command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || { echo "skipped: mariadbd not installed"; exit 77; }
}
# Kills what a kept or crashed run left: processes whose command line names our state folder.
cleanup() {
	local p
	for p in $(pgrep -f "$XDG_STATE_HOME" 2>/dev/null); do
		[ "$p" != $$ ] && kill "$p" 2>/dev/null
	done
	sleep 0.2
	for p in $(pgrep -f "$XDG_STATE_HOME" 2>/dev/null); do
		[ "$p" != $$ ] && kill -9 "$p" 2>/dev/null
	done
	rm -rf "$XDG_STATE_HOME"
}
trap cleanup EXIT
# newest run folder
# the newest run folder by its birth time: a name has the start second only, and two runs in one
# second sort by their random suffix (where the file system keeps no birth time, by name)
last_run() {
	local d=("$XDG_STATE_HOME"/upwiz/runs/*)
	[ -e "${d[0]}" ] || return 0
	stat -c '%.9W %n' "${d[@]}" | sort -k1,1g -k2 | tail -1 | cut -d' ' -f2-
}
# sanitizer reports of the engine of RUN (a sanitizer build writes them to engine.out)
no_sanitizer_report() { ! grep -qE "Sanitizer|runtime error:" "$1/engine.out" 2>/dev/null; }
finish() { echo "$pass passed, $fail failed"; [ $fail -eq 0 ]; }
# wait_engine RUN: until the engine of that run has ended (its socket gone) and removed its world
# (120 s at most). The front end connected to the socket, so it existed before the front end ended.
wait_engine() {
	local i
	for i in $(seq 1 600); do
		[ ! -e "$1/engine.sock" ] && [ ! -e "$1/sandbox" ] && return 0
		sleep 0.2
	done
	return 1
}
# check_list NAME...: --list-scenarios exits 0, lists every scenario file of the world with its
# description, and names each NAME given (the scenarios this profile must have)
check_list() {
	local f n d
	list=$("$bin" sandbox "$profile" --list-scenarios 2>&1); rc=$?
	t "--list-scenarios exits 0" '[ $rc -eq 0 ]'
	for f in "$world"/scenarios/*.yaml; do
		n=$(basename "$f" .yaml)
		d=$(sed -n 's/^description: "\(.*\)"$/\1/p' "$f" | sed 's/\\"/"/g')
		t "--list-scenarios lists $n with its description" '[ -n "$d" ] && grep -E "^$n +" <<<"$list" | grep -qF -- "$d"'
	done
	for n in "$@"; do
		t "the scenario $n is there" 'grep -q "^$n " <<<"$list"'
	done
}
# run_scenario NAME EXPECTED_EXIT [extra args...]: runs the scenario unattended with its golden
# answers; checks the exit code, the report (expected outcome met, no mistakes) and leftovers.
# world_left RUN: 1 when the run's sandbox folder or a process of it is there, else 0
world_left() { { [ -e "$1/sandbox" ] || pgrep -f "$1/sandbox" >/dev/null; } && echo 1 || echo 0; }
run_scenario() {
	local name=$1 want=$2; shift 2
	local t0=$(date +%s) out rc run before
	before=$(last_run)
	out=$(timeout 300 "$bin" sandbox "$profile" --plain --golden --scenario "$name" "$@" </dev/null 2>&1); rc=$?
	run=$(last_run)
	# the world is torn down before the end is said: nothing of it is left when the front end returns
	local left_at_exit=$(world_left "$run")
	# an engine that stopped before making its run folder must not be judged by the previous one
	t "$name: the run has a folder of its own" '[ -n "$run" ] && [ "$run" != "$before" ]'
	wait_engine "$run"
	if grep -q "starting the private mariadbd: mariadb-install-db exited" <<<"$out"; then
		# an infrastructure hiccup (seen under parallel load), not the scenario: once more
		echo "== $name: mariadb-install-db failed (load?); trying once more"
		rm -rf "$run/sandbox"
		out=$(timeout 300 "$bin" sandbox "$profile" --plain --golden --scenario "$name" "$@" </dev/null 2>&1); rc=$?
		run=$(last_run)
		left_at_exit=$(world_left "$run")
		wait_engine "$run"
	fi
	echo "== $name: exit $rc in $(( $(date +%s) - t0 )) s ($run)"
	t "$name: exit $want" '[ $rc -eq $want ]'
	t "$name: report file written" '[ -f "$run/report.md" ]'
	t "$name: report says the expected outcome was met" 'grep -q "^- Expected (golden path): .*\*\*met\*\*" "$run/report.md"'
	t "$name: no mistakes on the golden path" 'grep -A2 "^## Mistakes that matter" "$run/report.md" | grep -qx "None."'
	[ "$want" = 129 ] || t "$name: the screen shows the report and its path" 'grep -q "TRAINEE REPORT - scenario $name" <<<"$out" && grep -qF "Report for the trainer: $run/report.md" <<<"$out"'
	t "$name: no sanitizer report from the engine" 'no_sanitizer_report "$run"'
	t "$name: the sandbox is gone, no process of it left" '[ ! -e "$run/sandbox" ] && ! pgrep -f "$run/sandbox" >/dev/null'
	# (129: the front end hung up on purpose, the engine goes on alone)
	[ "$want" = 129 ] || t "$name: the sandbox was already gone when the front end returned" '[ $left_at_exit -eq 0 ]'
	if [ $fail -gt 0 ]; then echo "$out" | tail -30; cat "$run/report.md" 2>/dev/null; fi
	scen_out=$out   # what the plain front end printed, for the test's own checks
}
