#!/usr/bin/env bash
# Linkis scenarios, part 1: --list-scenarios, then each scenario unattended (--plain --golden)
# to its expected outcome, with the trainee's report asserted (tests/sandbox/lib.sh).
set -u
. "$(dirname "$0")/lib.sh"
need_mariadb

check_list sql-error port-in-use service-fails bad-jar-checksum token-mismatch disk-full-backup db-gone ssh-drop
"$bin" sandbox "$profile" --scenario no-such-thing --plain --golden </dev/null >/dev/null 2>&1; rc=$?
t "an unknown scenario is a usage error (exit 2)" '[ $rc -eq 2 ]'
"$bin" sandbox "$profile" --scenario ../world --plain --golden </dev/null >/dev/null 2>&1; rc=$?
t "a scenario name cannot be a path (exit 2)" '[ $rc -eq 2 ]'
"$bin" run "$profile" --scenario sql-error </dev/null >/dev/null 2>&1; rc=$?
t "run refuses --scenario (exit 2)" '[ $rc -eq 2 ]'

run_scenario sql-error 1

# An answers file that says `retry` to a failure that persists: a few attempts, then the run stops
# (it used to loop for ever, sending the statement again and again).
cat >"$XDG_STATE_HOME/retry.yaml" <<EOF
vars: {}
answers: { precautions: "yes", env-check: "yes", clear-tables: "1", backup: "yes", sql-apply: "yes",
  sql-apply.error: retry }
EOF
out=$(timeout 120 "$bin" sandbox "$profile" --scenario sql-error --plain --answers "$XDG_STATE_HOME/retry.yaml" </dev/null 2>&1); rc=$?
run=$(last_run)
wait_engine "$run"
t "retry from an answers file: the run stops (exit 1), not loops" '[ $rc -eq 1 ]'
t "the statement was tried 4 times (3 retries), then the log says why" \
	'[ $(grep -c "\"t\":\"stmt_failed\"" "$run/journal.jsonl") -eq 4 ] && grep -q ".sql-apply.error. came up 4 times and the answers file answers .retry. each time: stopping" "$run/run.log"'
run_scenario port-in-use 1
run_scenario service-fails 1
run_scenario bad-jar-checksum 1
finish
