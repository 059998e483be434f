#!/usr/bin/env bash
# The database dies in the middle of the SQL apply: the engine is held (fault seam, SIGSTOP) right
# after it journaled a statement as begun (stmt_begin:N) or right after the server answered it
# (stmt_sent:N), mariadbd is killed with SIGKILL and started again, the engine goes on. The run must
# stop with a clear error naming the statement (file and line), the error code and the server's
# message; a retry (the next `upwiz run`, resuming) checks the statements left in flight, finishes
# the apply, and the database equals an uninterrupted run's. (A server dying in the middle of
# statements sent in one round trip: t_round_lost.)
. "$(dirname "$0")/lib.sh"
sf_world
sf_snapshot "$T/base.sql"
sf_answers "$T/a.yaml" 'precautions: "yes"' 'env-check: "yes"' 'clear-tables: "1"' 'backup: "yes"' 'sql-apply: "yes"'
echo 'resume: yes' >> "$T/a.yaml"
applied_all() { grep -q '"t":"step_done","ts":[0-9.]*,"step":"sql-apply"}' "$SF_RUN/journal.jsonl"; }
sf_run --answers "$T/a.yaml" > "$T/ref.out" 2>&1
t "the uninterrupted run applies the SQL" 'applied_all'
sf_dump "$T/ref.txt"

for fault in stmt_begin:2 stmt_sent:5; do
	sf_restore "$T/base.sql"
	rm -rf "$T/state"
	UPWIZ_FAULT=$fault:stop sf_run --answers "$T/a.yaml" > "$T/run.out" 2>&1 &
	cli=$!
	sf_wait_held
	t "$fault: the engine is held inside the apply" '[ -n "$epid" ] && [ "$(awk "{print \$3}" /proc/$epid/stat)" = T ]'
	sf_mysqld_kill9
	sf_mysqld_start
	kill -CONT "$epid"
	wait "$cli"; rc=$?
	SF_RUN=$T/state/upwiz/runs/$(grep -oE 'run [0-9]+-[0-9]+-[0-9a-f]+' "$lf" | cut -d' ' -f2)
	out=$(cat "$T/run.out")
	echo "$out" | grep -E "ERROR" | head -2
	t "$fault: the run stops (exit 1)" '[ $rc -eq 1 ]'
	t "$fault: the error names the statement, the code and the message" 'grep -qE "linkis_d[dm]l.sql line [0-9]+: ERROR (2006|2013) \(HY000\): .*(gone away|Lost connection)" <<<"$out"'
	t "$fault: and says the connection to the server was lost" 'grep -q "the connection to the server was lost" "$SF_RUN/events.jsonl"'
	# In flight: begun and without an outcome. After stmt_begin always (it dies before the send).
	# After stmt_sent only when the next thing to touch the dead server is a send: the statements
	# sent with it in one round trip may all have been answered before the server died, and the
	# next thing may be a statement's precondition check, which sends nothing.
	inflight=$(awk '/"t":"stmt_begin"/ { match($0, /"file":"[^"]*","index":[0-9]+/); k[substr($0, RSTART, RLENGTH)] = 1 }
		/"t":"stmt_(done|failed|withdrawn|already|skipped)"/ { match($0, /"file":"[^"]*","index":[0-9]+/); delete k[substr($0, RSTART, RLENGTH)] }
		END { print length(k) }' "$SF_RUN/journal.jsonl")
	echo "  $fault: $inflight statement(s) in flight"
	[ "$fault" = stmt_begin:2 ] && t "$fault: a statement was in flight" '[ "$inflight" -ge 1 ]'
	sf_run --answers "$T/a.yaml" > "$T/o" 2>&1; out=$(cat "$T/o")
	if [ "$inflight" -ge 1 ]; then
		t "$fault: the retry checks the statement left in flight first" 'grep -q "checked the database before anything else" <<<"$out"'
	else
		t "$fault: the retry checks nothing (nothing was in flight)" '! grep -q "checked the database before anything else" <<<"$out"'
	fi
	t "$fault: the retry completes the apply" 'applied_all'
	sf_dump "$T/got.txt"
	t "$fault: the database equals the uninterrupted run's" 'cmp -s "$T/ref.txt" "$T/got.txt" || { diff "$T/ref.txt" "$T/got.txt" | head; false; }'
done
sf_end
