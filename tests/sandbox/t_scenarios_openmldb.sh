#!/usr/bin/env bash
# OpenMLDB scenarios: --list-scenarios, then each scenario unattended (--plain --golden) to its
# expected outcome, with the trainee's report asserted (tests/sandbox/lib.sh), and checks that the
# fault was really met where it was meant to be (the run's run.log, events.jsonl, journal.jsonl).
# The world has no database (no mariadbd); its vendor tools are simulated in python3.
set -u
profile=openmldb-rolling-upgrade
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "skipped: python3 (the simulated vendor tools) not installed"; exit 77; }

check_list tablet-pid-lost failed-op-left release-missing

# step_failed STEP: the run's events say STEP failed
step_failed() { grep -q "\"t\":\"step\",\"id\":\"$1\",\"state\":\"failed\"" "$run/events.jsonl"; }
# iters STEP: the loop iterations of STEP the journal records as done
iters() { grep -c "\"t\":\"iter_done\".*\"step\":\"$1\"" "$run/journal.jsonl"; }

# 1. node2's tablet.pid is gone: the stop stops nothing, the 0.9.3 tablet cannot start
run_scenario tablet-pid-lost 1
run=$(last_run)
t "tablet-pid-lost: the tablets step failed" 'step_failed tablets'
t "tablet-pid-lost: the report counts one failure of tablets, each problem once, and which loop answered" \
	'grep -q "^| tablets | failed | fails | [0-9.]* s | 1 |$" "$run/report.md" && ! grep -q "^- tablets: \[fail\]" "$run/report.md" && grep -q "^| tablets | tablets (loop 2: node2=[0-9.]*:10921) | yes |" "$run/report.md"'
t "tablet-pid-lost: node1's tablet was done, node2's was not" '[ $(iters tablets) -eq 1 ] && grep -qF "[fail] Tablets 2/3: node2=172.24.4.40:10921" "$run/run.log"'
t "tablet-pid-lost: node2's stop found no pid file yet said success" \
	'grep -qF "no tablet to stop (could not find file ./bin/tablet.pid)" "$run/run.log" && grep -q "Stop tablet success" "$run/run.log"'
t "tablet-pid-lost: the start printed failed! and the step failed on it" \
	'grep -q "Start tablet failed!" "$run/run.log" && grep -q "\[fail\] Start the tablet: .*failure reported in the output" "$run/run.log"'
t "tablet-pid-lost: nothing after node2's start ran (no post-upgrade of node2)" \
	'! grep -q "cmd=post-upgrade --endpoints=172.24.4.40:10921" "$run/run.log" && ! grep -q "\[node3\]" "$run/run.log"'

# 2. a kFailed op left in showopstatus: the run stops before any component is touched
run_scenario failed-op-left 1
run=$(last_run)
t "failed-op-left: the cluster-before step failed" 'step_failed cluster-before'
t "failed-op-left: the failed op was shown" 'grep -qE "\| +demo_db +\| +51 +\| +kChangeLeaderOP +\| +demo_table1 +\| +3 +\| +kFailed +\|" "$run/run.log"'
t "failed-op-left: the showopstatus check is the one that failed" 'grep -qF "[fail] No failed operation (showopstatus --filter=kFailed)" "$run/run.log"'
t "failed-op-left: no nameserver or tablet was stopped" '! grep -q "start.sh stop" "$run/run.log" && ! grep -q "cmd=pre-upgrade" "$run/run.log"'

# 3. 0.9.3 was never unpacked on node3: the host checks stop the run
run_scenario release-missing 1
run=$(last_run)
t "release-missing: the hosts step failed" 'step_failed hosts'
t "release-missing: node1 and node2 passed, node3 failed" '[ $(iters hosts) -eq 2 ] && grep -qF "[fail] Hosts 3/3: node3" "$run/run.log"'
t "release-missing: node3's new bin/openmldb was not found" \
	'grep -qE "\[hosts\] .*openmldb-0\.9\.3/bin/openmldb: (not found|No such file)" "$run/run.log" && grep -qF "[fail] New release unpacked" "$run/run.log"'
t "release-missing: the item says how to fix it on node3" 'grep -qF "\"fix\":\"Unpack the 0.9.3 release at openmldb-0.9.3 on node3.\"" "$run/events.jsonl"'
t "release-missing: the check names the command not found with its variables filled in" \
	'grep -qF "\"detail\":\"openmldb-0.9.3/bin/openmldb: command not found\"" "$run/events.jsonl" && ! grep -qF "\${NEW_HOME}/bin/openmldb: command" "$run/events.jsonl"'
t "release-missing: node3's target-version check does not pass on node2's captured version" \
	'grep -q "\"key\":\"i3.check5\",\"name\":\"It is the target version\",\"status\":\"fail\"" "$run/events.jsonl"'
t "release-missing: nothing ran on the cluster" '! grep -q "cmd=showopstatus" "$run/run.log" && ! grep -qE "start\.sh (start|stop)" "$run/run.log"'
finish
