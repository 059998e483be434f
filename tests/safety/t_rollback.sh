#!/usr/bin/env bash
# Roll-back end to end on the Linkis sandbox (real mariadbd, real files):
#   1. the golden path, driven through the plain front end one answer at a time, with --keep;
#      at the sql-apply question (the backup is verified, nothing destructive has run) the
#      world's database is dumped deterministically and its conf/lib/db trees are copied;
#   2. the run finishes; `upwiz rollback` refuses a wrong confirmation (nothing changed), then a
#      roll-back with an injected fault on its 3rd item fails half-way (exit 1), one slowed down is
#      killed with -9 half-way, and the next one finishes it (resumable: it names the unfinished
#      one and uses the world's server the killed one left running);
#   3. the database equals the pre-upgrade dump and every file equals its copy byte for byte,
#      with its mode: connector jars moved aside are back, the added 8.x jars gone, the
#      properties restored; a second roll-back of the same run is refused (exit 3);
#   4. the roll-back is a run of its own (run.json kind rollback, journal, log, all 0600) and
#      `upwiz run` would not offer to resume the rolled-back run (run.json rolled_back);
#   5. inside the engine: a failed step answered with `undo` (the fourth choice) and the typed
#      database name rolls the run back, the run ends "rolled-back" with exit 1.
set -u
bin=${UPWIZ_BIN:?}
mariadbd=$(command -v mariadbd || command -v /usr/sbin/mariadbd || true)
[ -n "$mariadbd" ] || { echo "skipped: mariadbd not installed"; exit 77; }
command -v mariadb-dump >/dev/null || { echo "skipped: mariadb-dump not installed"; exit 77; }
export XDG_STATE_HOME=$(mktemp -d /tmp/upwiz-rbt.XXXXXX)
work=$XDG_STATE_HOME/t
mkdir -p "$work"
fe_pid=
srv_pid=
cleanup() {
	exec 3>&- 2>/dev/null
	[ -n "$fe_pid" ] && kill "$fe_pid" 2>/dev/null
	if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null; fi
	# the world's processes (mariadbd of the world if a step left it) carry the root in their argv
	for p in $(pgrep -f "$XDG_STATE_HOME/upwiz/runs" 2>/dev/null); do kill "$p" 2>/dev/null; done
	rm -rf "$XDG_STATE_HOME"
}
trap cleanup EXIT
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); echo "ok: $1"; else echo "FAIL: $1"; fail=$((fail+1)); fi; }

wait_for() {  # wait_for SECONDS COMMAND...
	local end=$((SECONDS + $1)); shift
	while [ $SECONDS -lt $end ]; do "$@" && return 0; sleep 0.2; done
	return 1
}

# ---- 1. the golden path, one answer at a time
mkfifo "$work/in"
"$bin" sandbox linkis-1.3.2-to-1.4.0 --plain --keep <"$work/in" >"$work/out" 2>&1 &
fe_pid=$!
exec 3>"$work/in"
declare -A answer=([precautions]=yes [env-check]=yes [clear-tables]=1 [backup]=yes [sql-apply]=yes
	[connector-jar]=yes [token-sync]=yes [start]=yes [verify]=yes)
asked=0
snap=0
run=
deadline=$((SECONDS + 400))
while kill -0 "$fe_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
	n=$(grep -c '^?  ' "$work/out" 2>/dev/null)
	if [ "$n" -gt "$asked" ]; then
		asked=$n
		step=$(grep -o '^== \[[0-9]*/[0-9]*\] [a-z0-9-]*' "$work/out" | tail -1 | awk '{print $3}')
		[ -z "$run" ] && run=$(ls -d "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
		if [ "$step" = sql-apply ] && [ $snap -eq 0 ]; then
			snap=1
			root=$run/sandbox
			mariadb-dump --no-defaults -uroot --socket="$root/mysql/mysqld.sock" --skip-dump-date --skip-comments \
				--order-by-primary --routines --events --triggers --databases linkis >"$work/pre.sql" 2>"$work/pre.err"
			echo "pre-upgrade dump rc=$? ($(wc -c <"$work/pre.sql") bytes)"
			mkdir -p "$work/pre"
			cp -a "$root/linkis/conf" "$root/linkis/lib" "$root/linkis/db" "$work/pre/"
			(cd "$root/linkis" && find conf lib db -printf '%p %m %s %y\n' | sort) >"$work/pre.modes"
		fi
		a=${answer[$step]:-}
		[ -z "$a" ] && { echo "unexpected question in step '$step'"; tail -5 "$work/out"; break; }
		echo "$a" >&3
	fi
	sleep 0.2
done
wait "$fe_pid"; rc=$?
fe_pid=
exec 3>&-
tail -5 "$work/out"
t "the golden path through the plain front end exits 0" '[ $rc -eq 0 ]'
t "the pre-upgrade state was captured at the sql-apply question" '[ $snap -eq 1 ] && [ -s "$work/pre.sql" ] && grep -q "CREATE TABLE" "$work/pre.sql"'
[ -n "$run" ] || { echo "no run folder"; exit 1; }
t "the plain front end says the point of no return when Start begins" 'grep -A1 "^== \[8/9\] start" "$work/out" | grep -q "point of no return"'
t "it says it once" '[ $(grep -c "point of no return" "$work/out") -eq 1 ]'
t "the verified backup made the SQL step reversible (a step event tells the front ends)" 'grep -q "\"id\":\"sql-apply\",\"state\":\"pending\",\"reversible\":true" "$run/events.jsonl"'
t "start is never reversible" 'grep -q "\"id\":\"start\",\"state\":\"running\",\"reversible\":false" "$run/events.jsonl"'
rid=$(basename "$run")
root=$run/sandbox
lh=$root/linkis
t "the upgrade changed the world (8.x jar added, 5.x moved aside, properties changed)" \
	'ls "$lh"/lib/linkis-commons/public-module/mysql-connector-java-8*.jar >/dev/null 2>&1 &&
	 ! ls "$lh"/lib/linkis-commons/public-module/mysql-connector-java-5*.jar >/dev/null 2>&1 &&
	 ! cmp -s "$lh/conf/linkis.properties" "$work/pre/conf/linkis.properties"'
# the engine lingers until its last front end has gone; wait for it to end
wait_for 60 bash -c "[ ! -S '$run/engine.sock' ]"
t "the engine ended" '[ ! -S "$run/engine.sock" ]'

# ---- 2. refusals and a roll-back interrupted half-way
out=$(echo wrong | "$bin" rollback "$rid" 2>&1); rc=$?
t "a wrong confirmation changes nothing (exit 1)" '[ $rc -eq 1 ] && ! ls "$lh"/lib/linkis-commons/public-module/mysql-connector-java-5*.jar >/dev/null 2>&1'
out=$("$bin" rollback "$rid" --confirm linkis --bogus 2>&1); rc=$?
t "an unknown option is a usage error (exit 2)" '[ $rc -eq 2 ]'
out=$("$bin" rollback no-such-run --confirm linkis 2>&1); rc=$?
t "an unknown run is a usage error (exit 2)" '[ $rc -eq 2 ]'
out=$(UPWIZ_FAULT=rollback:3 "$bin" rollback --confirm linkis </dev/null 2>&1); rc=$?
echo "$out" | tail -8
t "a roll-back failing at its 3rd item exits 1" '[ $rc -eq 1 ]'
t "it says how to finish" 'grep -q "run .upwiz rollback $rid. again" <<<"$out"'
# killed with -9 half-way (each item slowed): the world's server it started is left running
known=$(ls "$XDG_STATE_HOME"/upwiz/runs)
UPWIZ_DELAY=rollback:1500 "$bin" rollback "$rid" --confirm linkis >"$work/killed.out" 2>&1 &
kpid=$!
kdir=
for ((i = 0; i < 600; i++)); do
	for d in "$XDG_STATE_HOME"/upwiz/runs/*; do
		grep -qxF "$(basename "$d")" <<<"$known" || kdir=$d
	done
	[ -n "$kdir" ] && grep -q '"t":"undo"' "$kdir/journal.jsonl" 2>/dev/null && break
	sleep 0.1
done
kill -9 "$kpid" 2>/dev/null; wait "$kpid" 2>/dev/null
t "a roll-back killed with -9 half-way did not finish" '[ -n "$kdir" ] && ! grep -q "rolled back:" "$work/killed.out" && ! grep -q "\"outcome\"" "$kdir/run.json"'
out=$(echo linkis | "$bin" rollback "$rid" 2>&1); rc=$?
echo "$out" | tail -14
t "the roll-back run again exits 0" '[ $rc -eq 0 ]'
t "it names the unfinished earlier roll-back" 'grep -q "an earlier roll-back (.*) did not finish" <<<"$out"'
t "it uses the server the killed one left running" 'grep -q "running already" <<<"$out"'
t "it says the start command's effects stay" 'grep -q "not undone: step start ran command" <<<"$out"'

# ---- 3. the world equals its pre-upgrade state
t "no 8.x connector jar is left" '! find "$lh/lib" -name "mysql-connector-java-8*" | grep -q .'
t "the 5.x connector jar is back" 'ls "$lh"/lib/linkis-commons/public-module/mysql-connector-java-5*.jar >/dev/null 2>&1'
for d in conf lib db; do
	t "$d/ equals its pre-upgrade copy byte for byte" 'diff -r "$work/pre/$d" "$lh/$d" >/dev/null'
done
(cd "$lh" && find conf lib db -printf '%p %m %s %y\n' | sort) >"$work/post.modes"
t "names, modes and sizes of conf/ lib/ db/ are as before" 'diff "$work/pre.modes" "$work/post.modes"'
srv_start() {  # the kept world's mariadbd, started again on its folder
	mdir=$1
	# a server another step left (the roll-back stops its own) must be gone first
	wait_for 30 bash -c "! mariadb --no-defaults -uroot --socket='$mdir/mysqld.sock' -e 'SELECT 1' >/dev/null 2>&1"
	local args=(--no-defaults --datadir="$mdir/data" --socket="$mdir/mysqld.sock" --skip-networking
		--pid-file="$mdir/t.pid" --tmpdir="$mdir/tmp" --log-error="$mdir/t.err")
	[ "$(id -u)" = 0 ] && args+=(--user=root)
	"$mariadbd" "${args[@]}" >/dev/null 2>&1 &
	srv_pid=$!
	wait_for 60 mariadb --no-defaults -uroot --socket="$mdir/mysqld.sock" -e 'SELECT 1' >/dev/null 2>&1
}
srv_stop() {
	mariadb-admin --no-defaults -uroot --socket="$mdir/mysqld.sock" shutdown >/dev/null 2>&1
	wait_for 30 bash -c "! kill -0 $srv_pid 2>/dev/null"
	kill "$srv_pid" 2>/dev/null
	wait "$srv_pid" 2>/dev/null
	srv_pid=
}
srv_start "$root/mysql"
mariadb-dump --no-defaults -uroot --socket="$mdir/mysqld.sock" --skip-dump-date --skip-comments \
	--order-by-primary --routines --events --triggers --databases linkis >"$work/post.sql" 2>"$work/post.err"
t "the database dump after the roll-back equals the pre-upgrade dump" 'diff -q "$work/pre.sql" "$work/post.sql" >/dev/null'
diff "$work/pre.sql" "$work/post.sql" | head -10
t "the new 1.4.0 columns are gone" '! mariadb --no-defaults -uroot --socket="$mdir/mysqld.sock" -N -e "SHOW COLUMNS FROM linkis.linkis_cg_manager_service_instance" | grep -qw identifier'
srv_stop

# ---- 4. the roll-back's own runs, and refusals after it
out=$("$bin" rollback "$rid" --confirm linkis 2>&1); rc=$?
t "a second roll-back of the same run is refused (exit 3)" '[ $rc -eq 3 ] && grep -q "already rolled back" <<<"$out"'
t "the rolled-back run is marked in run.json" 'grep -q "\"rolled_back\"" "$run/run.json"'
t "its journal says so" 'grep -q "\"t\":\"rolled_back\"" "$run/journal.jsonl"'
nrb=0; okfiles=1
for d in "$XDG_STATE_HOME"/upwiz/runs/*; do
	grep -q '"kind": *"rollback"' "$d/run.json" 2>/dev/null || continue
	nrb=$((nrb+1))
	for f in run.json journal.jsonl run.log; do
		[ "$(stat -c %a "$d/$f" 2>/dev/null)" = 600 ] || { echo "$d/$f not 0600"; okfiles=0; }
	done
	ls "$d"/*.cnf >/dev/null 2>&1 && { echo "option file left in $d"; okfiles=0; }
done
t "three roll-back runs with run.json, journal and log, all 0600, no option file left" '[ $nrb -eq 3 ] && [ $okfiles -eq 1 ]'
t "the finished roll-back journaled every item" '[ $(cat "$XDG_STATE_HOME"/upwiz/runs/*/journal.jsonl | grep -c "\"t\":\"undo\"") -ge 6 ]'

# new_run BEFORE: the upgrade run (not a roll-back's run) whose folder is not in BEFORE (an ls of runs/)
new_run() {
	local d
	for d in "$XDG_STATE_HOME"/upwiz/runs/*; do
		grep -qxF "$(basename "$d")" <<<"$1" && continue
		grep -q '"target_sha"' "$d/run.json" 2>/dev/null && echo "$d"
	done | tail -1
}

# ---- 5. the fourth answer to a failure: roll back inside the engine (unattended, the verify step
# fails by an injected fault after every effect ran; the answers file chooses undo and types the name)
cat >"$work/undo.yaml" <<EOF
vars: {}
answers: { precautions: "yes", env-check: "yes", clear-tables: "1", backup: "yes", sql-apply: "yes",
  connector-jar: "yes", token-sync: "yes", start: "yes", verify: "yes", verify.failed: undo, rollback.confirm: linkis }
EOF
before=$(ls "$XDG_STATE_HOME/upwiz/runs" | sort)
out=$(UPWIZ_FAULT=step-verify:1 timeout 300 "$bin" sandbox linkis-1.3.2-to-1.4.0 --plain --answers "$work/undo.yaml" --keep </dev/null 2>&1); rc=$?
run2=$(new_run "$before")
echo "$out" | grep -E "roll-back|finished" | tail -6
t "a failure answered with undo ends the run with exit 1, outcome rolled-back" '[ $rc -eq 1 ] && grep -q "finished: rolled-back" <<<"$out" && grep -q "\"outcome\": *\"rolled-back\"" "$run2/run.json"'
t "the failure question offered undo (journaled answer)" 'grep -q "\"qid\":\"verify.failed\",\"value\":\"undo\"" "$run2/journal.jsonl"'
lh2=$run2/sandbox/linkis
t "in-engine: the 5.x jar is back and no 8.x jar is left" 'ls "$lh2"/lib/linkis-commons/public-module/mysql-connector-java-5*.jar >/dev/null 2>&1 && ! find "$lh2/lib" -name "mysql-connector-java-8*" | grep -q .'
t "in-engine: the properties are the originals again" 'cmp -s "$lh2/conf/linkis.properties" "$run2/originals/linkis.properties" && cmp -s "$lh2/conf/linkis-cli/linkis-cli.properties" "$run2/originals/linkis-cli.properties"'
t "in-engine: run.json keeps the rolled_back mark" 'grep -q "\"rolled_back\"" "$run2/run.json"'
wait_for 60 bash -c "[ ! -S '$run2/engine.sock' ]"
srv_start "$run2/sandbox/mysql"
t "in-engine: the 1.4.0 columns are gone from the database" '! mariadb --no-defaults -uroot --socket="$mdir/mysqld.sock" -N -e "SHOW COLUMNS FROM linkis.linkis_cg_manager_service_instance" | grep -qw identifier'
srv_stop
out=$("$bin" rollback "$(basename "$run2")" --confirm linkis 2>&1); rc=$?
t "in-engine: a later upwiz rollback of it is refused (exit 3)" '[ $rc -eq 3 ]'

# ---- 6. undo chosen at a failure inside a step: a statement's error in the SQL apply (scenario
# sql-error). The statement must not be sent again (it once was: 'u' fell through to retry); the
# engine asks for the typed name and rolls back.
cat >"$work/undo-sql.yaml" <<EOF
vars: {}
answers: { precautions: "yes", env-check: "yes", clear-tables: "1", backup: "yes", sql-apply: "yes",
  sql-apply.error: undo, rollback.confirm: linkis }
EOF
before=$(ls "$XDG_STATE_HOME/upwiz/runs" | sort)
out=$(timeout 300 "$bin" sandbox linkis-1.3.2-to-1.4.0 --scenario sql-error --plain --answers "$work/undo-sql.yaml" --keep </dev/null 2>&1); rc=$?
run3=$(new_run "$before")
echo "$out" | grep -E "ERROR 1054|roll-back|finished" | tail -4
t "statement error answered with undo: exit 1, outcome rolled-back" '[ $rc -eq 1 ] && grep -q "finished: rolled-back" <<<"$out" && grep -q "\"outcome\": *\"rolled-back\"" "$run3/run.json"'
t "the failed statement was sent once, not retried" '[ $(grep -c "\"t\":\"stmt_failed\"" "$run3/journal.jsonl") -eq 1 ] && [ $(grep -c "line 10: ERROR 1054" "$run3/run.log") -eq 1 ]'
t "the roll-back was confirmed and recorded" 'grep -q "\"t\":\"rollback_confirmed\"" "$run3/journal.jsonl"'
wait_for 60 bash -c "[ ! -S '$run3/engine.sock' ]"
srv_start "$run3/sandbox/mysql"
t "after undo at the statement: the 1.4.0 columns the DDL added are gone" '! mariadb --no-defaults -uroot --socket="$mdir/mysqld.sock" -N -e "SHOW COLUMNS FROM linkis.linkis_cg_manager_service_instance" | grep -qw identifier'
srv_stop

# ---- 7. undo from an answers file whose typed confirmation is wrong: the roll-back is never
# confirmed, so after a few rounds the run stops (it used to ask again for ever).
sed 's/rollback.confirm: linkis/rollback.confirm: not-the-name/' "$work/undo.yaml" >"$work/undo-wrong.yaml"
before=$(ls "$XDG_STATE_HOME/upwiz/runs" | sort)
out=$(UPWIZ_FAULT=step-verify:1 timeout 200 "$bin" sandbox linkis-1.3.2-to-1.4.0 --plain --answers "$work/undo-wrong.yaml" </dev/null 2>&1); rc=$?
run4=$(new_run "$before")
t "undo never confirmed by the answers file: the run stops with exit 1, nothing rolled back" \
	'[ $rc -eq 1 ] && grep -q ".verify.failed. came up 4 times and the answers file answers .undo. each time" "$run4/run.log" && ! grep -q "\"t\":\"rollback_confirmed\"" "$run4/journal.jsonl"'
wait_for 60 bash -c "[ ! -S '$run4/engine.sock' ]"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
