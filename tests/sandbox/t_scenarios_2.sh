#!/usr/bin/env bash
# Linkis scenarios, part 2: each scenario unattended (--plain --golden) to its expected outcome,
# with the trainee's report asserted (tests/sandbox/lib.sh).
set -u
. "$(dirname "$0")/lib.sh"
need_mariadb

run_scenario token-mismatch 1
run_scenario disk-full-backup 1
run_scenario db-gone 1

# The same, answered retry: the reconnect fails, and its question says why and offers no skip
# (nothing can be skipped to while the server is away); an answers file's skip there is refused.
cat >"$XDG_STATE_HOME/gone.yaml" <<EOF
vars: {}
answers: { precautions: "yes", env-check: "yes", clear-tables: "1", backup: "yes", sql-apply: "yes",
  sql-apply.error: retry, sql-apply.connect: skip }
EOF
out=$(timeout 120 "$bin" sandbox "$profile" --scenario db-gone --plain --answers "$XDG_STATE_HOME/gone.yaml" </dev/null 2>&1); rc=$?
run=$(last_run)
wait_engine "$run"
ask=$(grep -F '"t":"ask","qid":"sql-apply.connect"' "$run/events.jsonl" | head -1)
t "db-gone, retried: the reconnect question names the server's error" 'grep -qE "cannot reconnect to the database: ERROR 20[0-9][0-9]: " <<<"$ask"'
t "db-gone, retried: it offers retry, abort and undo, not skip" \
	'grep -q "\"key\":\"retry\"" <<<"$ask" && grep -q "\"key\":\"undo\"" <<<"$ask" && ! grep -q "\"key\":\"skip\"" <<<"$ask"'
t "db-gone, retried: skip from the answers file is not taken (exit 1, nothing skipped)" \
	'[ $rc -eq 1 ] && ! grep -q "\"t\":\"stmt_skipped\"\|step_skipped" "$run/journal.jsonl" && grep -q "answer to .sql-apply.connect. is not one it offers (retry, abort, undo): stopping" "$run/run.log"'
# the screen is hung up as the backup starts: the plain front end dies of SIGHUP (129), the
# engine goes on with the golden answers to success, and its report says so
run_scenario ssh-drop 129
run=$(last_run)
t "ssh-drop: the engine finished the upgrade after the screen died" 'grep -q "\"outcome\": *\"success\"" "$run/run.json"'
t "ssh-drop: report written with outcome success" 'grep -q "^- Outcome: \*\*success\*\*" "$run/report.md"'
finish
