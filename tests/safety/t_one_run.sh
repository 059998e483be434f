#!/usr/bin/env bash
# One run per target: while an engine holds the Linkis target (stopped by the fault seam in the
# middle of its SQL apply, holding the host lock and GET_LOCK), a second `upwiz run` on the same
# target is refused with exit 3 naming the holder (pid, host, user, start time); a run on another
# target string that reaches the same database is stopped by GET_LOCK, naming the session holding
# it. Once the holder is gone (SIGKILL: no clean-up runs), both locks are free again at once.
. "$(dirname "$0")/lib.sh"
sf_world
sf_answers "$T/a.yaml" 'precautions: "yes"' 'env-check: "yes"' 'clear-tables: "1"' 'backup: "yes"' 'sql-apply: "yes"'
echo 'resume: yes' >> "$T/a.yaml"

UPWIZ_FAULT=stmt_begin:3:stop sf_run --answers "$T/a.yaml" > "$T/holder.out" 2>&1 &
holder_cli=$!
sf_wait_held
t "the holder stops inside the SQL apply" '[ -n "$epid" ] && [ "$(awk "{print \$3}" /proc/$epid/stat)" = T ]'
holder_info=$(cat "$lf")
echo "lock file: $holder_info"

sf_run --answers "$T/a.yaml" > "$T/o" 2>&1; rc=$?; out=$(cat "$T/o")
echo "$out" | grep -i refused | head -3
t "a second run on the same target exits 3" '[ $rc -eq 3 ]'
t "it names the holder's pid" 'grep -q "refused: another run holds .*pid $epid " <<<"$out"'
t "and host, user and start time" 'grep -q "on $(hostname), user $(id -un), run [0-9-]*[0-9a-f]*, since 20[0-9-]*T[0-9:]*Z" <<<"$out"'
t "the refused run did not touch the database" '! grep -q "\"t\":\"stmt_begin\"" "$SF_RUN/journal.jsonl" && ! grep -q "\"t\":\"backup\"" "$SF_RUN/journal.jsonl"'

# Another target string (the database given by a symlinked socket path), same database: GET_LOCK.
ln -s "$SOCK" "$T/other.sock"
sed "s#DB_SOCKET: \"$SOCK\"#DB_SOCKET: \"$T/other.sock\"#" "$T/a.yaml" > "$T/b.yaml"
sf_run --answers "$T/b.yaml" > "$T/o" 2>&1; rc=$?; out=$(cat "$T/o")
echo "$out" | grep -iE "GET_LOCK|sql>" | head -5
t "a run on another target string reaching the same database is stopped by GET_LOCK" '[ $rc -eq 3 ] && grep -q "GET_LOCK" <<<"$out"'
t "it names the session holding the lock" 'grep -qE "held by connection [0-9]+ \(linkis@localhost" <<<"$out"'
t "and sent no statement" '! grep -q "\"t\":\"stmt_begin\"" "$SF_RUN/journal.jsonl"'

kill -9 "$epid"
wait "$holder_cli" 2>/dev/null
sf_run --answers "$T/a.yaml" > "$T/o" 2>&1; rc=$?; out=$(cat "$T/o")
t "after the holder died, the next run takes the target and resumes" 'grep -q "resuming run" <<<"$out" && grep -q "step_done\",\"ts\":[0-9.]*,\"step\":\"sql-apply\"" "$SF_RUN/journal.jsonl"'
sf_end
