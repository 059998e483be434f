#!/usr/bin/env bash
# The KAG / OpenSPG upgrade SQL (assets/openspg-0.5-to-0.6/upgrade-0.5.1-to-0.6.sql, written from
# the guide) on a real mariadbd (private, socket only, utf8mb4 server like the release image):
#   1. on the sandbox world's v0.5.1-shaped seed: it applies cleanly, gives the nine 0.6 tables,
#      the four kg_builder_job columns after `extension`, the seed rows, readable comments; a
#      second run fails with 1060 (the profile's already_applied codes cover what it answers);
#   2. on a genuine v0.5 shape (the seed without its KAG part): the first statement fails with
#      1146 (why the profile stops before any statement on such a schema);
#   3. with shared/fixtures/openspg (upstream's real schema files, read, never copied): upstream
#      v0.5.1 + this SQL gives exactly upstream v0.6's tables and columns (type, null, default,
#      comment, order) and the same seed rows; without the fixtures this part is skipped (77 if
#      nothing else could run).
set -u
src=${UPWIZ_SOURCE_DIR:?}
asset="$src/assets/openspg-0.5-to-0.6/upgrade-0.5.1-to-0.6.sql"
seed="$src/assets/openspg-0.5-to-0.6/world/seed"
fix=${UPWIZ_FIXTURES:-$src/../shared/fixtures}/openspg
[ -d "$fix" ] || fix=/work/shared/fixtures/openspg
mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)
[ -x "$mariadbd" ] && command -v mariadb-install-db >/dev/null && command -v mariadb >/dev/null \
	|| { echo "skipped: mariadbd / mariadb-install-db / mariadb not installed"; exit 77; }

tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
sock="$tmp/s.sock"
mkdir -p "$tmp/tmp"; mariadb-install-db --no-defaults --datadir="$tmp/data" --tmpdir="$tmp/tmp" --auth-root-authentication-method=normal --skip-test-db \
	--user="$(id -un)" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; echo "FAIL: mariadb-install-db"; exit 1; }
"$mariadbd" --no-defaults --datadir="$tmp/data" --socket="$sock" --skip-networking --pid-file="$tmp/pid" \
	--log-error="$tmp/err.log" --tmpdir="$tmp/tmp" --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
	--innodb-buffer-pool-size=32M --innodb-log-file-size=16M --user="$(id -un)" 2>>"$tmp/err.log" &
pid=$!
for _ in $(seq 1200); do mariadb --no-defaults -S "$sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.1; done
my() { mariadb --no-defaults -S "$sock" -uroot --default-character-set=utf8mb4 -N -B "$@"; }
my -e 'SELECT 1' >/dev/null || { cat "$tmp/err.log"; echo "FAIL: mariadbd did not start"; exit 1; }

fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
newdb() { my -e "CREATE DATABASE $1 DEFAULT CHARSET utf8mb4"; }
load() { local db=$1; shift; cat "$@" | sed 's/^use openspg;$//' | my "$db" 2>&1; }
cols() {   # db [tables...]: one line per column, comparable across databases
	local where=""
	[ $# -gt 1 ] && where="AND table_name IN ($(printf "'%s'," "${@:2}" | sed 's/,$//'))"
	my -e "SELECT table_name, ordinal_position, column_name, column_type, is_nullable, IFNULL(column_default,'<none>'), column_comment
	       FROM information_schema.columns WHERE table_schema = '$1' $where ORDER BY table_name, ordinal_position"
}
tables() { my -e "SELECT table_name FROM information_schema.tables WHERE table_schema = '$1' ORDER BY 1"; }
new9=(kg_scheduler_job kg_scheduler_instance kg_scheduler_task kg_scheduler_info kg_data_source kg_user kg_config kg_resource_permission kg_role)

# 1. the world's v0.5.1 shape
newdb w
out=$(load w "$seed"/01-openspg-core.sql "$seed"/02-kag-0.5.1.sql); t "world seed loads" '[ -z "$out" ]'
out=$(load w "$asset"); rc=$?
t "upgrade SQL applies to the v0.5.1 shape without an error" '[ -z "$out" ]'
t "25 tables after the upgrade" '[ "$(tables w | wc -l)" = 25 ]'
t "the nine new tables" '[ "$(my -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '"'w'"' AND table_name IN ($(printf "'"'%s'"'," "${new9[@]}" | sed "s/,$//"))")" = 9 ]'
t "kg_builder_job: the four columns follow extension" '[ "$(my -e "SELECT GROUP_CONCAT(column_name ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = '"'w'"' AND table_name = '"'kg_builder_job'"' AND ordinal_position > 12")" = "extension,version,life_cycle,action,computing_conf" ]'
t "comments are utf8mb4 (版本号)" '[ "$(my -e "SELECT column_comment FROM information_schema.columns WHERE table_schema = '"'w'"' AND table_name = '"'kg_builder_job'"' AND column_name = '"'version'"'")" = "版本号" ]'
t "seed rows: 1 user, 3 roles, 1 permission, 3 configs" '[ "$(my w -e "SELECT CONCAT((SELECT COUNT(*) FROM kg_user), (SELECT COUNT(*) FROM kg_role), (SELECT COUNT(*) FROM kg_resource_permission), (SELECT COUNT(*) FROM kg_config))")" = 1313 ]'
t "the knowledge base is kept (project and builder job)" '[ "$(my w -e "SELECT CONCAT((SELECT COUNT(*) FROM kg_project_info), (SELECT COUNT(*) FROM kg_builder_job))")" = 11 ]'
out=$(load w "$asset")
t "a second run fails with 1060 (not idempotent)" 'grep -q "ERROR 1060" <<<"$out"'
codes=$(my --force w < "$asset" 2>&1 | grep -oE "ERROR [0-9]+" | sort -u | awk '{print $2}' | paste -sd' ')
t "every error of a forced re-run is one the profile counts as already applied (got: $codes)" \
	'for c in $codes; do grep -qE "already_applied: \[.*\b$c\b" "$src/profiles/openspg-0.5-to-0.6.yaml" || exit 1; done; [ -n "$codes" ]'

# 2. a genuine v0.5 shape
newdb v5
load v5 "$seed"/01-openspg-core.sql >/dev/null
out=$(load v5 "$asset")
t "genuine v0.5: the ALTER fails with 1146 on kg_builder_job" 'grep -q "ERROR 1146.*kg_builder_job" <<<"$out"'

# 3. against upstream's own schema files
if [ -d "$fix" ] && [ -f "$fix/initdb-0.5.1.sql" ] && [ -f "$fix/initdb-0.6.sql" ]; then
	newdb up; newdb fresh
	out=$(load up "$fix/initdb-0.5.1.sql" "$fix/openspg-initdb-0.5.1.sql"); t "upstream v0.5.1 loads" '[ -z "$out" ]'
	out=$(load up "$asset"); t "upgrade SQL applies to upstream v0.5.1" '[ -z "$out" ]'
	out=$(load fresh "$fix/initdb-0.6.sql" "$fix/openspg-initdb-0.6.sql"); t "upstream v0.6 loads" '[ -z "$out" ]'
	t "same tables as upstream v0.6" '[ "$(tables up)" = "$(tables fresh)" ]'
	diff <(cols up | cut -f2-) <(cols fresh | cut -f2-) > "$tmp/cols.diff"
	t "same columns as upstream v0.6 (type, null, default, comment, order)" '[ ! -s "$tmp/cols.diff" ] || { head -20 "$tmp/cols.diff"; false; }'
	rows() { for tb in kg_user kg_role kg_resource_permission kg_config; do my "$1" -e "SELECT * FROM $tb" | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}/<now>/g'; done; }
	t "same seed rows as upstream v0.6 (timestamps aside)" '[ "$(rows up)" = "$(rows fresh)" ]'
	t "the world's seed + SQL: same tables as upstream v0.6" '[ "$(tables w)" = "$(tables fresh)" ]'
	t "the world's seed + SQL: the ten tables the SQL touches match upstream v0.6" \
		'[ "$(cols w kg_builder_job "${new9[@]}" | cut -f2-)" = "$(cols fresh kg_builder_job "${new9[@]}" | cut -f2-)" ]'
	if [ -f "$fix/initdb-0.5.sql" ]; then
		newdb up5
		load up5 "$fix/initdb-0.5.sql" >/dev/null
		out=$(load up5 "$asset")
		t "upstream genuine v0.5: the ALTER fails with 1146" 'grep -q "ERROR 1146" <<<"$out"'
		t "the world's v0.5 shape has the same tables as upstream v0.5" '[ "$(tables v5 | grep -v -e "^kg_scheduler" -e "^kg_data_source" -e "^kg_user" -e "^kg_config" -e "^kg_resource_permission" -e "^kg_role")" = "$(tables up5 | grep -v -e "^kg_scheduler" -e "^kg_data_source" -e "^kg_user" -e "^kg_config" -e "^kg_resource_permission" -e "^kg_role")" ]'
	fi
else
	echo "note: $fix not present: the comparison with upstream's v0.6 schema is skipped"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
