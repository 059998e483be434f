#!/usr/bin/env bash
# The Linkis profile's SQL path against the REAL upstream schema (../shared/fixtures/linkis, Apache-2.0,
# read from there at test time, never copied into the project):
#   1. a private mariadbd; database lk132 = the real 1.3.2 DDL + DML, database lk140 = a fresh 1.4.0
#      install (DDL + DML), both created the way install.sh does (utf8, utf8_general_ci);
#   2. the bundled profile's own `clear-tables`, `backup` and `sql-apply` steps (cut out of
#      profiles/linkis-1.3.2-to-1.4.0.yaml, not rewritten) run by the real `upwiz run --plain
#      --answers` against lk132, with a LINKIS_HOME whose db/upgrade/1.4.0_schema holds the real
#      upgrade scripts;
#   3. lk132 then equals lk140 table by table, column by column (name, type, null, default,
#      charset, collation, extra, comment; column order ignored: ADD COLUMN appends, research §6.4),
#      index by index, and row by row in every table (timestamps normalised; the random gateway
#      token names ignored: research §6.5 shows they differ between any two installs);
#   4. a second run of the same steps reports every re-run statement as "already applied"
#      (1060 duplicate column, 1062 duplicate entry) or, where the profile declares a
#      precondition (unless:, docs/RESUME.md), as "already there, skipped", and changes nothing;
#   5. the database password appears in no file the runs wrote and in none of their output.
set -u
bin=${UPWIZ_BIN:?}
src=${UPWIZ_SOURCE_DIR:?}
# The fixtures folder: $UPWIZ_FIXTURES, else ../shared/fixtures beside the checkout, else the team's /work/shared.
fx=
for d in ${UPWIZ_FIXTURES:-} "$src/../shared/fixtures" /work/shared/fixtures; do
	[ -f "$d/linkis/linkis-1.3.2-ddl.sql" ] && { fx=$d/linkis; break; }
done
[ -n "$fx" ] || { echo "skipped: Linkis fixtures not found (UPWIZ_FIXTURES, $src/../shared/fixtures, /work/shared/fixtures) (they live in ../shared/fixtures; never copied into the project)"; exit 77; }
server=$(command -v mariadbd || ls /usr/sbin/mariadbd 2>/dev/null)
[ -n "$server" ] || { echo "skipped: mariadbd not installed"; exit 77; }

tmp=$(mktemp -d /tmp/upwiz-fx.XXXXXX)
srv_pid=
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }

# ---- 1. the private server and the two databases
sock=$tmp/mysqld.sock
userflag=(); [ "$(id -u)" = 0 ] && userflag=(--user=root)
mariadb-install-db --no-defaults --datadir="$tmp/data" --auth-root-authentication-method=normal \
	--skip-test-db "${userflag[@]}" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; echo "FAIL: mariadb-install-db"; exit 1; }
"$server" --no-defaults --datadir="$tmp/data" --socket="$sock" --skip-networking \
	--pid-file="$tmp/mysqld.pid" --log-error="$tmp/mysqld.err" --innodb-buffer-pool-size=32M \
	--skip-name-resolve "${userflag[@]}" >/dev/null 2>&1 &
srv_pid=$!
for _ in $(seq 1 120); do
	mariadb --no-defaults -S "$sock" -uroot -e 'select 1' >/dev/null 2>&1 && break
	sleep 0.5
done
sql() { mariadb --no-defaults -S "$sock" -uroot --default-character-set=utf8 "$@"; }
sql -e 'select 1' >/dev/null || { tail -20 "$tmp/mysqld.err"; echo "FAIL: mariadbd did not start"; exit 1; }

pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)
sql <<SQL
CREATE DATABASE lk132 DEFAULT CHARSET utf8 COLLATE utf8_general_ci;
CREATE DATABASE lk140 DEFAULT CHARSET utf8 COLLATE utf8_general_ci;
CREATE USER 'linkis'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL ON lk132.* TO 'linkis'@'localhost';
SQL
for f in linkis-1.3.2-ddl.sql linkis-1.3.2-dml.sql; do sql lk132 <"$fx/$f" >/dev/null || { echo "FAIL: loading $f"; exit 1; }; done
for f in linkis-1.4.0-ddl.sql linkis-1.4.0-dml.sql; do sql lk140 <"$fx/$f" >/dev/null || { echo "FAIL: loading $f"; exit 1; }; done
t "the fixtures load: 1.3.2 and 1.4.0 have the same table count" \
	'[ "$(sql -N -e "select count(*) from information_schema.tables where table_schema=\"lk132\"")" = "$(sql -N -e "select count(*) from information_schema.tables where table_schema=\"lk140\"")" ]'

# ---- 2. LINKIS_HOME as install.sh leaves it (the parts these steps read), and the steps themselves
home=$tmp/home
mkdir -p "$home/db/upgrade/1.4.0_schema/mysql" "$home/conf/linkis-cli" "$tmp/backups"
cp "$fx/upgrade-1.4.0-ddl.sql" "$home/db/upgrade/1.4.0_schema/mysql/linkis_ddl.sql"
cp "$fx/upgrade-1.4.0-dml.sql" "$home/db/upgrade/1.4.0_schema/mysql/linkis_dml.sql"
cp "$fx/linkis-1.4.0-ddl.sql" "$home/db/linkis_ddl.sql"
cp "$fx/linkis-1.4.0-dml.sql" "$home/db/linkis_dml.sql"
cp "$fx/linkis-1.4.0.properties" "$home/conf/linkis.properties"
cp "$fx/linkis-cli-1.4.0.properties" "$home/conf/linkis-cli/linkis-cli.properties"

# Cut the bundled profile: everything before `steps:`, then the three step blocks, verbatim;
# ${PROFILE_DIR} made absolute because the cut profile lives in the temp folder.
prof=$src/profiles/linkis-1.3.2-to-1.4.0.yaml
awk -v keep="clear-tables backup sql-apply" '
	BEGIN { n = split(keep, k, " "); for (i = 1; i <= n; i++) want[k[i]] = 1 }
	/^steps:/ { print; insteps = 1; next }
	!insteps { print; next }
	/^  - id: / { id = $3; on = (id in want) }
	on { print }
' "$prof" | sed "s#\${PROFILE_DIR}#$src/profiles#g; s#^sandbox:#sandbox_unused:#; s#^  world:.*##" >"$tmp/profile.yaml"
sed -i '/^sandbox_unused:/d' "$tmp/profile.yaml"
t "the cut profile holds the three steps" '[ "$(grep -cE "^  - id: (clear-tables|backup|sql-apply)$" "$tmp/profile.yaml")" = 3 ]'
check_out=$("$bin" check "$tmp/profile.yaml" 2>&1)
t "the cut profile checks clean" '[ $? -eq 0 ] || { echo "$check_out"; false; }'

cat >"$tmp/answers.yaml" <<'Y'
answers:
  clear-tables: "1"
  backup: "yes"
  sql-apply: "yes"
Y
export XDG_STATE_HOME=$tmp/state
run_steps() {
	UPWIZ_VAR_DB_PASSWORD=$pw timeout 600 "$bin" run "$tmp/profile.yaml" --plain --answers "$tmp/answers.yaml" \
		--var LINKIS_HOME="$home" --var DB_SOCKET="$sock" --var DB_USER=linkis --var DB_NAME=lk132 \
		--var BACKUP_DIR="$tmp/backups" </dev/null 2>&1
}
out1=$(run_steps); rc1=$?
echo "$out1" | grep -n "" | sed -n "1,60p"
t "first run exits 0" '[ $rc1 -eq 0 ]'
t "first run reports no statement as already applied" '! grep -qi "already applied:" <<<"$out1"'

# ---- 3. lk132 (upgraded) vs lk140 (fresh)
schema() {   # $1 db: tables with their options, columns sorted by name, indexes
	sql -N -B -e "
	SELECT 'T', table_name, engine, table_collation, table_comment FROM information_schema.tables
	 WHERE table_schema='$1' ORDER BY table_name;
	SELECT 'C', table_name, column_name, column_type, is_nullable, IFNULL(column_default,'<null>'),
	       IFNULL(character_set_name,''), IFNULL(collation_name,''), extra, column_comment, column_key
	  FROM information_schema.columns WHERE table_schema='$1' ORDER BY table_name, column_name;
	SELECT 'I', table_name, index_name, seq_in_index, column_name, non_unique, index_type
	  FROM information_schema.statistics WHERE table_schema='$1' ORDER BY table_name, index_name, seq_in_index;"
}
rows() {   # $1 db: every row of every table, columns in name order, timestamps normalised
	# One query builds one SELECT per table; one client run executes them all (a client per table
	# would be 124 processes: slow on a loaded machine).
	local db=$1
	sql -N -B -r -e "SET SESSION group_concat_max_len = 1000000; SELECT CONCAT('SELECT \\'== ', table_name, '\\'; SELECT ', GROUP_CONCAT(
			CASE WHEN data_type IN ('datetime','timestamp','date','time') THEN CONCAT('IF(\`',column_name,'\` IS NULL,\\'<null>\\',\\'<ts>\\')')
			     WHEN table_name='linkis_mg_gateway_auth_token' AND column_name='token_name' THEN '\\'<token>\\''
			     ELSE CONCAT('\`',column_name,'\`') END ORDER BY column_name SEPARATOR ','),
			' FROM \`', table_name, '\` ORDER BY 1;')
		FROM information_schema.columns WHERE table_schema='$db' GROUP BY table_name ORDER BY table_name" >"$tmp/q.$db"
	[ -s "$tmp/q.$db" ] || { echo "no tables in $db" >&2; return 1; }
	sql -N -B "$db" <"$tmp/q.$db" >"$tmp/raw.$db" || { echo "row queries failed on $db" >&2; return 1; }
	awk '/^== /{ if (n) close(cmd); print; fflush(); cmd = "LC_ALL=C sort"; n = 1; next } { print | cmd }' "$tmp/raw.$db"
}
schema lk132 | sed 's/^\([A-Z]\)\t/\1 /' >"$tmp/s132"; schema lk140 | sed 's/^\([A-Z]\)\t/\1 /' >"$tmp/s140"
t "schema: tables, columns, indexes equal a fresh 1.4.0 install" 'diff "$tmp/s140" "$tmp/s132" >"$tmp/sdiff" || { head -30 "$tmp/sdiff"; false; }'
t "schema comparison saw the new columns" 'grep -qP "^C linkis_cg_manager_service_instance\tticketId\t" "$tmp/s132"'
rows lk132 >"$tmp/r132"; rows lk140 >"$tmp/r140"
t "row dumps cover every table" '[ "$(grep -c "^== " "$tmp/r132")" -ge 62 ] && [ "$(grep -c "^== " "$tmp/r140")" -ge 62 ]' 
t "data: every row of every table equals a fresh 1.4.0 install" 'diff "$tmp/r140" "$tmp/r132" >"$tmp/rdiff" || { head -30 "$tmp/rdiff"; false; }'
t "data comparison covered the label renames and the new datasource types" \
	'grep -q "\*-IDE,spark-3.2.1" "$tmp/r132" && ! grep -q "spark-2.4.3" "$tmp/r132" && grep -q "starrocks" "$tmp/r132"'
t "a real backup was taken first" '[ "$(find "$tmp/backups" -name "*.sql*" | wc -l)" -ge 1 ]'

# ---- 4. the same steps once more: "already applied" named, nothing changed
cp "$tmp/r132" "$tmp/r132.first"
out2=$(run_steps); rc2=$?
echo "$out2" | grep -i "already applied" | head -12
t "second run completes (already-applied codes do not fail it)" '[ $rc2 -eq 0 ]'
t "second run names the duplicate columns as already applied (1060) or already there" '[ $(( $(grep -ci "already applied.*1060\|1060.*already applied" <<<"$out2") + $(grep -ci "already there, skipped:.*column .* exists" <<<"$out2") )) -ge 2 ]'
t "second run names the duplicate entries as already applied (1062) or already there" '[ $(( $(grep -ci "already applied.*1062\|1062.*already applied" <<<"$out2") + $(grep -ci "already there, skipped:.*a row exists" <<<"$out2") )) -ge 8 ]'
rows lk132 >"$tmp/r132.second"
t "second run changed no row" 'diff -q "$tmp/r132.first" "$tmp/r132.second" >/dev/null'

# ---- 5. the password nowhere
leaks=$(grep -rlF -- "$pw" "$tmp/state" "$tmp/backups" "$home" 2>/dev/null | wc -l)
t "the database password is in no file the runs wrote" '[ "$leaks" -eq 0 ]'
t "the database password is in no output" '! grep -qF -- "$pw" <<<"$out1$out2"'

echo "passed $pass, failed $fail"
[ $fail -eq 0 ]
