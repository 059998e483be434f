#!/usr/bin/env bash
# Linkis scenarios, part 1: --list-scenarios, then each scenario unattended (--plain --golden)
# to its expected outcome, with the trainee's report asserted (tests/sandbox/lib.sh).
set -u
. "$(dirname "$0")/lib.sh"
need_mariadb

list=$("$bin" sandbox "$profile" --list-scenarios 2>&1); rc=$?
t "--list-scenarios exits 0" '[ $rc -eq 0 ]'
for f in "$world"/scenarios/*.yaml; do
	n=$(basename "$f" .yaml)
	d=$(sed -n 's/^description: "\(.*\)"$/\1/p' "$f")
	t "--list-scenarios lists $n with its description" '[ -n "$d" ] && grep -E "^$n +" <<<"$list" | grep -qF -- "$d"'
done
t "every Linkis scenario the issue names is there" 'for n in sql-error port-in-use service-fails bad-jar-checksum token-mismatch disk-full-backup db-gone ssh-drop; do grep -q "^$n " <<<"$list" || exit 1; done'
"$bin" sandbox "$profile" --scenario no-such-thing --plain --golden </dev/null >/dev/null 2>&1; rc=$?
t "an unknown scenario is a usage error (exit 2)" '[ $rc -eq 2 ]'
"$bin" sandbox "$profile" --scenario ../world --plain --golden </dev/null >/dev/null 2>&1; rc=$?
t "a scenario name cannot be a path (exit 2)" '[ $rc -eq 2 ]'
"$bin" run "$profile" --scenario sql-error </dev/null >/dev/null 2>&1; rc=$?
t "run refuses --scenario (exit 2)" '[ $rc -eq 2 ]'

run_scenario sql-error 1
run_scenario port-in-use 1
run_scenario service-fails 1
run_scenario bad-jar-checksum 1
finish
