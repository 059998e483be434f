#!/usr/bin/env bash
# The server dies between two SQL files, and the first thing to touch it is the second file's
# precondition (`unless:`): nothing was in flight, nothing of that file was sent. The engine is held
# (fault seam, SIGSTOP) when the first file's last statement is done, mariadbd is SIGKILLed and
# started again, the engine goes on. The check fails with the lost connection: the engine must say
# so with the server's error, ask as for a failed statement, and on `retry` reconnect, check again
# and apply the second file; the table ends as an uninterrupted run leaves it.
. "$(dirname "$0")/lib.sh"

N=20
sf_bare_mysqld
sf_bare_table $N
awk 'BEGIN { for (i = 1; i <= 10; i++) printf "UPDATE t SET v = %d WHERE id = %d;\n", i, i }' > "$T/apply.sql"
awk 'BEGIN { for (i = 11; i <= 20; i++) printf "UPDATE t SET v = %d WHERE id = %d;\n", i, i }' > "$T/apply.sql.2"
sf_bare_profile t-precond-lost "Test: the connection lost before a file's precondition"
echo '      - { path: "${SQL_FILE}.2", unless: { row: "SELECT 1 FROM t WHERE v = -1" } }' >> "$T/p.yaml"
cat > "$T/a.yaml" <<A
vars: { DB_SOCKET: "$SOCK", SQL_FILE: "$T/apply.sql" }
answers: { apply: yes, apply.no-backup: "I accept the risk", apply.error: retry }
A

XDG_STATE_HOME=$T/state UPWIZ_FAULT=stmt_done:10:stop timeout 120 "$bin" run "$T/p.yaml" --plain --answers "$T/a.yaml" \
	</dev/null > "$T/run.out" 2>&1 &
cli=$!
sf_wait_held
t "the engine is held after the first file's last statement" '[ -n "$epid" ] && [ "$(awk "{print \$3}" /proc/$epid/stat)" = T ]'
sf_mysqld_kill9
sf_mysqld_start
kill -CONT "$epid"
wait "$cli"; rc=$?
R=$(ls -d "$T"/state/upwiz/runs/* | head -1)
t "the run completes (exit 0)" '[ $rc -eq 0 ] || { tail -15 "$T/run.out"; false; }'
t "the error names the file, the code and the message" \
	'grep -qE "apply.sql.2: ERROR (2006|2013) \(HY000\): .*(gone away|Lost connection)" "$T/run.out" || { grep -i error "$T/run.out"; false; }'
t "and says the precondition could not be checked, nothing of the file sent" \
	'grep -q "its precondition could not be checked: .*nothing it guards was sent" "$R/events.jsonl"'
t "the engine reconnected" 'grep -q "reconnected" "$T/run.out"'
t "nothing was in flight: nothing checked" '! grep -q "\"t\":\"stmt_checked\"" "$R/journal.jsonl"'
t "the table is as an uninterrupted run leaves it" \
	'[ "$(sf_sql -e "SELECT COUNT(*), SUM(v = id) FROM w.t")" = "$(printf "%s\t%s" $N $N)" ]'
SF_RUN=$R
t "each statement accounted for exactly once" 'sf_exactly_once $N'
sf_san
t "no sanitizer report from any engine" '[ $SF_SAN -eq 0 ]'
sf_end
