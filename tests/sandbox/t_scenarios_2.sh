#!/usr/bin/env bash
# Linkis scenarios, part 2: each scenario unattended (--plain --golden) to its expected outcome,
# with the trainee's report asserted (tests/sandbox/lib.sh).
set -u
. "$(dirname "$0")/lib.sh"
need_mariadb

run_scenario token-mismatch 1
run_scenario disk-full-backup 1
run_scenario db-gone 1
# the screen is hung up as the backup starts: the plain front end dies of SIGHUP (129), the
# engine goes on with the golden answers to success, and its report says so
run_scenario ssh-drop 129
run=$(last_run)
t "ssh-drop: the engine finished the upgrade after the screen died" 'grep -q "\"outcome\": *\"success\"" "$run/run.json"'
t "ssh-drop: report written with outcome success" 'grep -q "^- Outcome: \*\*success\*\*" "$run/report.md"'
finish
