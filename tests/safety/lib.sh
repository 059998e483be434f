# tests/safety/lib.sh: shared by the fault tests (sourced). A Linkis 1.3.2 world built by
# `upwiz sandbox` (kept), its mariadbd run by the test itself (so the test can kill it and the
# engine can be killed without taking the server along), and `upwiz run` driven by an answers file.
#
# After sf_world: ROOT (the world), SOCK, DBPW (the world's generated DB password), T (temp dir).
# sf_run ARGS... runs `upwiz run` with XDG_STATE_HOME=$T/state and the world's stub commands in PATH.
set -u
bin=${UPWIZ_BIN:?}
MARIADBD=$(command -v mariadbd || command -v /usr/sbin/mariadbd || true)
[ -n "$MARIADBD" ] && command -v mariadb >/dev/null && command -v mariadb-dump >/dev/null ||
	{ echo "skipped: mariadbd / mariadb / mariadb-dump not installed"; exit 77; }
T=$(mktemp -d /tmp/upwiz-safety.XXXXXX)
SF_MYSQLD_PID=
sf_cleanup() {
	[ -n "$SF_MYSQLD_PID" ] && { kill -9 "$SF_MYSQLD_PID"; wait "$SF_MYSQLD_PID"; } 2>/dev/null
	[ -n "${ROOT:-}" ] && [ -f "$ROOT/linkis/sbin/linkis-stop-all.sh" ] && sh "$ROOT/linkis/sbin/linkis-stop-all.sh" >/dev/null 2>&1
	rm -rf "$T"
}
trap sf_cleanup EXIT
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
sf_end() { echo "$pass passed, $fail failed"; [ $fail -eq 0 ]; }

# Builds the world (the sandbox run stops at its first question: the answers file answers none).
sf_world() {
	printf 'vars: {}\nanswers: {}\n' > "$T/none.yaml"
	local try
	for try in 1 2; do   # once more when mariadb-install-db trips over a shared /tmp being cleaned under load
		rm -rf "$T/wstate"
		XDG_STATE_HOME=$T/wstate timeout 120 "$bin" sandbox linkis-1.3.2-to-1.4.0 --plain --answers "$T/none.yaml" --keep \
			</dev/null >"$T/world.out" 2>&1
		ROOT=$(ls -d "$T"/wstate/upwiz/runs/*/sandbox 2>/dev/null | head -1)
		[ -n "$ROOT" ] && [ -d "$ROOT/mysql/data/linkis" ] && break
		echo "world build failed (try $try):"; grep -E "ERROR" "$T/world.out" | head -3
	done
	[ -n "$ROOT" ] && [ -d "$ROOT/mysql/data/linkis" ] || { echo "world build failed:"; tail -20 "$T/world.out"; exit 1; }
	SOCK=$ROOT/mysql/mysqld.sock
	DBPW=$(grep -hoE "MYSQL_PASSWORD=[^ ]+" "$ROOT/linkis/conf/db.sh" | head -1 | cut -d= -f2- | tr -d "'\"")
	[ -n "$DBPW" ] || { echo "no DB password in the world"; exit 1; }
	sf_mysqld_start
}

sf_mysqld_start() {
	local m=$ROOT/mysql user=
	[ "$(id -u)" = 0 ] && user=--user=root
	rm -f "$SOCK"
	"$MARIADBD" --no-defaults --datadir="$m/data" --socket="$SOCK" --skip-networking --pid-file="$m/mysqld.pid" \
		--log-error="$m/mysqld.err" --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
		--innodb-buffer-pool-size=32M --innodb-log-file-size=16M --skip-name-resolve --max-allowed-packet=64M \
		--tmpdir="$m/tmp" --innodb-flush-log-at-trx-commit=2 --innodb-flush-method=nosync --innodb-doublewrite=0 \
		$user </dev/null >/dev/null 2>&1 &
	SF_MYSQLD_PID=$!
	for _ in $(seq 300); do
		mariadb --no-defaults -S "$SOCK" -uroot -e 'select 1' >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "mariadbd did not start:"; tail -5 "$m/mysqld.err"; exit 1
}

# sf_bare_mysqld: a private mariadbd of its own, no sandbox world around it (ROOT=$T/w, SOCK), for
# the tests that bring their own profile and SQL.
sf_bare_mysqld() {
	ROOT=$T/w SOCK=$T/w/mysql/mysqld.sock
	mkdir -p "$ROOT/mysql/data" "$ROOT/mysql/tmp"
	local user=()
	[ "$(id -u)" = 0 ] && user=(--user=root)
	mariadb-install-db --no-defaults --datadir="$ROOT/mysql/data" --tmpdir="$ROOT/mysql/tmp" \
		--auth-root-authentication-method=normal --skip-test-db --skip-name-resolve "${user[@]}" \
		>"$T/install.log" 2>&1 || { echo "mariadb-install-db failed:"; tail -5 "$T/install.log"; exit 1; }
	sf_mysqld_start
}

# sf_bare_profile ID TITLE: a one-step profile in $T/p.yaml that applies ${SQL_FILE} to database w
# on the bare server (step `apply`, variables DB_SOCKET and SQL_FILE).
sf_bare_profile() {
	cat > "$T/p.yaml" <<P
id: $1
title: "$2"
from: "0"
to: "1"
target: "w on \${DB_SOCKET}"
vars:
  DB_SOCKET: { prompt: "socket", type: path }
  SQL_FILE: { prompt: "file", type: path }
connections:
  db: { socket: "\${DB_SOCKET}", user: root, password: "", database: w, charset: utf8mb4 }
steps:
  - id: apply
    title: Apply
    screen: sqlapply
    connection: db
    files:
      - { path: "\${SQL_FILE}" }
P
}
# sf_bare_table N: database w afresh, table w.t with ids 1..N, every v 0.
sf_bare_table() {
	sf_sql -e "DROP DATABASE IF EXISTS w; CREATE DATABASE w; CREATE TABLE w.t (id INT PRIMARY KEY, v INT NOT NULL);
		   INSERT INTO w.t SELECT seq, 0 FROM w.seq_1_to_$1"
}

# sf_wait_held: waits (60 s at most) until the engine of the run started in the background is held
# by an UPWIZ_FAULT=SITE:N:stop fault (SIGSTOP, state T). Sets lf (its lock file) and epid (its
# pid); returns 0 once held.
sf_wait_held() {
	epid=
	for _ in $(seq 600); do
		lf=$(ls "$T"/state/upwiz/locks/*.lock 2>/dev/null | head -1)
		[ -n "$lf" ] && epid=$(grep -oE '^pid [0-9]+' "$lf" | cut -d' ' -f2)
		[ -n "$epid" ] && [ "$(awk '{print $3}' /proc/$epid/stat 2>/dev/null)" = T ] && return 0
		sleep 0.1
	done
	return 1
}

sf_mysqld_kill9() {
	kill -9 "$SF_MYSQLD_PID" 2>/dev/null
	wait "$SF_MYSQLD_PID" 2>/dev/null
	SF_MYSQLD_PID=
}

sf_sql() { mariadb --no-defaults -S "$SOCK" -uroot -N -B "$@"; }

# A deterministic picture of the linkis database: every column's definition and every row
# (ordered by primary key), with the server-generated times (now()) masked.
sf_dump() {
	{
		sf_sql -e "SELECT table_name, column_name, ordinal_position, column_type, is_nullable, column_default, collation_name
			   FROM information_schema.columns WHERE table_schema = 'linkis' ORDER BY table_name, ordinal_position"
		mariadb-dump --no-defaults -S "$SOCK" -uroot --skip-dump-date --order-by-primary --skip-comments \
			--skip-extended-insert linkis
	} | sed -E "s/'[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'/'TIME'/g" > "$1"
}
sf_snapshot() { mariadb-dump --no-defaults -S "$SOCK" -uroot --skip-dump-date --add-drop-database --databases linkis > "$1"; }
sf_restore() { sf_sql < "$1"; }

# sf_answers FILE [YAML answer lines...]: the world's variables and the given answers (0600).
sf_answers() {
	local f=$1; shift
	umask 077
	{
		echo "vars:"
		echo "  LINKIS_HOME: \"$ROOT/linkis\""
		echo "  DB_HOST: localhost"
		echo "  DB_PORT: \"3306\""
		echo "  DB_SOCKET: \"$SOCK\""
		echo "  DB_USER: linkis"
		echo "  DB_PASSWORD: \"$DBPW\""
		echo "  DB_NAME: linkis"
		echo "  BACKUP_DIR: \"$ROOT/backups\""
		echo "  CONNECTOR_JAR: \"$ROOT/downloads/mysql-connector-java-8.0.28.jar\""
		echo "  CONNECTOR_SHA256: d2d43a1415e9d7b7ed24dcc34d7256d41926381079e2881c10a4ed8961dd9d0b"
		echo "  LINKIS_PORTS: \"1\""
		echo "  PYTHON2_LINK: \"$ROOT/usr/bin/python2\""
		echo "answers:"
		for a in "$@"; do echo "  $a"; done
	} > "$f"
	umask 022
}

# sf_run ARGS: `upwiz run` on the world; SF_RUN is then the run folder it made (run names order by
# the second only, so the new one is found by difference).
SF_RUN=
sf_run() {
	local before rc
	before=$(ls "$T/state/upwiz/runs" 2>/dev/null)
	XDG_STATE_HOME=$T/state PATH="$ROOT/bin:$PATH" timeout 120 "$bin" run linkis-1.3.2-to-1.4.0 --plain "$@" </dev/null
	rc=$?
	SF_RUN=$(ls "$T/state/upwiz/runs" 2>/dev/null | grep -vxF -f <(echo "$before"; echo /) | head -1)
	[ -n "$SF_RUN" ] && SF_RUN=$T/state/upwiz/runs/$SF_RUN
	return $rc
}
sf_last_run() { echo "$SF_RUN"; }
# Sanitizer reports (ASan/UBSan/LSan build) in any engine's output so far; adds them to SF_SAN.
SF_SAN=0
sf_san() {
	local f
	for f in "$T"/state/upwiz/runs/*/engine.out; do
		[ -f "$f" ] && grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$f" && { echo "sanitizer report in $f:"; head -30 "$f"; SF_SAN=$((SF_SAN+1)); }
	done
	return 0
}

# The newest run finished the Linkis SQL step.
sf_applied_all() { grep -q '"t":"step_done","ts":[0-9.]*,"step":"sql-apply"}' "$(sf_last_run)/journal.jsonl"; }
# sf_exactly_once N: every one of the step's N statements is accounted for exactly once in the newest
# journal (adopted records included): one stmt_done (sent and answered, or found applied by the
# check) or one stmt_precond.
sf_exactly_once() {
	local j=$(sf_last_run)/journal.jsonl
	local keys=$(grep -E '"t":"(stmt_done|stmt_precond)"' "$j" | grep -oE '"file":"[^"]*","index":[0-9]+' | sort)
	[ "$(echo "$keys" | wc -l)" -eq "$1" ] && [ "$(echo "$keys" | sort -u | wc -l)" -eq "$1" ]
}

# The setup of the SQL-apply fault tests: the world, a snapshot of its 1.3.2 database in
# $T/base.sql, answers up to the SQL apply in $T/a.yaml (resume accepted), NSTMT statements.
sf_apply_setup() {
	sf_world
	sf_snapshot "$T/base.sql"
	sf_answers "$T/a.yaml" 'precautions: "yes"' 'env-check: "yes"' 'clear-tables: "1"' 'backup: "yes"' 'sql-apply: "yes"'
	echo 'resume: yes' >> "$T/a.yaml"
	NSTMT=23
}
applied_all() { sf_applied_all; }
exactly_once() { sf_exactly_once "$NSTMT"; }

# sf_lead JOURNAL: how far ahead of the statement being begun its file's stmt_next lines were
# written, at most (core/actions/sqlwindow.h); "missing FILE#INDEX" when a statement was begun
# with no stmt_next before it.
sf_lead() {
	awk '{
		f = $0; sub(/.*"file":"/, "", f); sub(/".*/, "", f)
		i = $0; sub(/.*"index":/, "", i); sub(/[,}].*/, "", i); i += 0
	}
	/"t":"stmt_next"/ { seen[f "#" i] = 1; if (i > hi[f]) hi[f] = i }
	/"t":"stmt_begin"/ { if (!(f "#" i in seen)) { print "missing " f "#" i; bad = 1; exit }
			      if (hi[f] - i > max) max = hi[f] - i }
	END { if (!bad) print max + 0 }' "$1"
}
