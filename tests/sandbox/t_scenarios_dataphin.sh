#!/usr/bin/env bash
# Dataphin downtime / semi-downtime scenarios: --list-scenarios, then each scenario unattended
# (--plain --golden) to its expected outcome, with the trainee's report asserted
# (tests/sandbox/lib.sh) and the fault shown to be the one met, from the run's own records
# (events.jsonl, journal.jsonl). The world is a simulated Dataphin web console (`upwiz sim-http`);
# two scenarios are run again with --keep and their console is served once more, to show that
# what it says is what the golden trainee typed. No database, no python3.
# manager-down waits for the profile's 30 s Dataphin Manager check: about 35 s in all.
set -u
profile=dataphin-downtime
. "$(dirname "$0")/lib.sh"

ev() { grep -qF -- "$1" "$run/events.jsonl"; }
jr() { grep -qF -- "$1" "$run/journal.jsonl"; }
step_state() { grep -q "\"t\":\"step\",\"id\":\"$1\",\"state\":\"$2\"" "$run/events.jsonl"; }
# the value the run's journal recorded for input check N of the verify step
typed() { sed -n "s/.*\"t\":\"input\",.*\"step\":\"verify\",\"check\":$1,\"value\":\"\([^\"]*\)\".*/\1/p" "$run/journal.jsonl"; }

# keep NAME: runs the scenario again with --keep; sets run (the world stays in $run/sandbox)
keep() {
	timeout 300 "$bin" sandbox "$profile" --plain --golden --scenario "$1" --keep </dev/null >/dev/null 2>&1
	krc=$?
	run=$(last_run)
	wait_engine_sock "$run"
}
wait_engine_sock() { local i; for i in $(seq 1 300); do [ ! -e "$1/engine.sock" ] && return 0; sleep 0.2; done; }
# serve RUN: starts the kept world's console (its own routes file, a port of ours); sets port
serve() {
	local root=$1/sandbox p i
	port=
	for p in $(shuf -i 20000-59999 -n 8); do
		"$bin" sim-http --detach --port "$p" --routes "$root/sim/routes/console.yaml" --pidfile "$root/sim/pid/test.pid" \
			--log "$root/sim/logs/test.log" >/dev/null 2>&1 </dev/null &
		for i in $(seq 1 100); do
			[ -s "$root/sim/pid/test.pid" ] && { port=$p; return 0; }
			kill -0 $! 2>/dev/null || break   # the port was taken: another one
			sleep 0.05
		done
	done
	return 1
}
unserve() { [ -s "$1/sandbox/sim/pid/test.pid" ] && kill "$(cat "$1/sandbox/sim/pid/test.pid")" 2>/dev/null; }
# get PATH: the console's answer (status line, headers, body) over plain bash TCP
get() {
	[ -n "$port" ] || return 1
	timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "GET %s HTTP/1.0\r\n\r\n" "$1" >&3 && cat <&3' "$port" "$1"
}

check_list manager-down already-upgraded instances-dropped

# 1. Dataphin Manager answers 502 Bad Gateway: the console check fails before anything is clicked
run_scenario manager-down 1
run=$(last_run)
t "manager-down: the version-check step failed" 'step_state version-check failed'
t "manager-down: the wizard asked CONSOLE_URL/opsconsole/v2 and the restarted console said 502" \
	'grep -qE "\"step\":\"version-check\",\"text\":\"GET http://127\.0\.0\.1:[0-9]+/opsconsole/v2\"" "$run/events.jsonl" && ev "\"step\":\"version-check\",\"text\":\"-> 502 text/html"'
t "manager-down: the Manager check failed on 502 after polling its 30 s" \
	'grep -qE "\"name\":\"Dataphin Manager answers\",\"status\":\"fail\",\"detail\":\"HTTP 502, expected 200: <html> \(still failing after 30 s, ([2-9]|1[0-9]) attempts\)\"" "$run/events.jsonl"'
t "manager-down: it was the only failure (the versions V5.1.2 -> V5.2.0 passed)" \
	'[ $(grep -c "\"step\":\"version-check\",\"key\":\"check[0-9]\",.*\"status\":\"fail\"" "$run/events.jsonl") -eq 1 ] && ev "\"name\":\"Target is newer than the current version\",\"status\":\"pass\""'
t "manager-down: the failure was answered abort" 'jr "\"qid\":\"version-check.failed\",\"value\":\"abort\""'
t "manager-down: nothing was clicked (no mode, no stage ticked, no maintenance mode)" \
	'! step_state mode running && ! step_state select-version running && ! jr "\"t\":\"checklist\""'

# 2. V5.2.0 already runs: the target is not newer than the current version
run_scenario already-upgraded 1
run=$(last_run)
t "already-upgraded: the version-check step failed" 'step_state version-check failed'
t "already-upgraded: the current version checked was V5.2.0 (from the console, not the ticket's V5.1.2)" \
	'ev "\"name\":\"Current version\",\"status\":\"pass\",\"detail\":\"5.2.0\"" && ! ev "5.1.2"'
t "already-upgraded: the rule target > current failed, and only it" \
	'ev "\"name\":\"Target is newer than the current version\",\"status\":\"fail\",\"detail\":\"V5.2.0: need > 5.2.0\"" && [ $(grep -c "\"step\":\"version-check\",\"key\":\"check[0-9]\",.*\"status\":\"fail\"" "$run/events.jsonl") -eq 1 ]'
t "already-upgraded: the console itself answered (the failure is the versions)" \
	'ev "\"name\":\"Dataphin Manager answers\",\"status\":\"pass\""'
t "already-upgraded: aborted, nothing clicked" \
	'jr "\"qid\":\"version-check.failed\",\"value\":\"abort\"" && ! step_state mode running && ! jr "\"t\":\"checklist\""'
keep already-upgraded
serve "$run"
page=$(get /opsconsole/v2/api/upgrade/history)
unserve "$run"
t "already-upgraded kept: exit 1, the world left" '[ $krc -eq 1 ] && [ -f "$run/sandbox/sim/routes/console.yaml" ]'
t "already-upgraded kept: Dataphin Manager says V5.2.0 is current, upgraded by a Completed record 8" \
	'grep -q "^HTTP/1.1 200" <<<"$page" && grep -qF "\"currentVersion\": \"V5.2.0\"" <<<"$page" && grep -qF "{\"id\": 8, \"targetVersion\": \"V5.2.0\", \"mode\": \"semi-downtime\", \"status\": \"Completed\"" <<<"$page"'
t "already-upgraded kept: the version the run checked is the one the console shows" \
	'ev "\"name\":\"Semi-downtime upgrade possible (current V5.1.1 or later)\",\"status\":\"pass\",\"detail\":\"V5.2.0\""'

# 3. after the upgrade, half the usual instances: verify flags it, the trainee stops before Complete
run_scenario instances-dropped 1
run=$(last_run)
t "instances-dropped: the upgrade itself went through (semi-downtime stages ticked, maintenance mode exited)" \
	'step_state semi-stages done && [ $(grep "\"t\":\"checklist\"" "$run/journal.jsonl" | grep -c "\"step\":\"semi-stages\"") -eq 5 ]'
t "instances-dropped: 612 against 1203.5 was typed" '[ "$(typed 1)" = 612 ] && [ "$(typed 3)" = 1203.5 ]'
t "instances-dropped: the 20 % rule flagged -49.1 %" \
	'ev "\"name\":\"Recent count close to the 7-day average\",\"status\":\"warn\",\"detail\":\"612 vs 1203.5: -49.1%: a deviation from the 7-day average"'
t "instances-dropped: asked to continue with that warning, the answer was no, and verify failed" \
	'ev "\"qid\":\"verify\",\"step\":\"verify\",\"kind\":\"next\",\"prompt\":\"Continue with 1 warning?\"" && jr "\"qid\":\"verify\",\"value\":\"no\"" && step_state verify failed'
t "instances-dropped: the log and the report say the operator stopped there" \
	'grep -q "stopped by the operator at \"Continue with 1 warning?\"" "$run/run.log" && grep -q "^- verify: stopped by the operator at \"Continue with 1 warning?\"" "$run/report.md"'
t "instances-dropped: no failed-instances review recorded, Complete never clicked" \
	'! step_state failed-instances running && ! step_state complete running && ! jr "\"step\":\"complete\""'
keep instances-dropped
serve "$run"
page=$(get /opsconsole/v2/api/upgrade/verification)
unserve "$run"
t "instances-dropped kept: exit 1, the world left" '[ $krc -eq 1 ] && [ -f "$run/sandbox/sim/routes/console.yaml" ]'
t "instances-dropped kept: the verification page shows exactly what was typed" \
	'grep -q "^HTTP/1.1 200" <<<"$page" && grep -qF "\"recentProductionInstances\": {\"count\": $(typed 1), \"dataTimestamp\": \"$(typed 2)\"}" <<<"$page" && grep -qF "\"sevenDayAverageInstances\": $(typed 3)," <<<"$page"'
finish
