#!/usr/bin/env bash
# bench/sqlapply.sh: a generated N-statement file (BENCH_SQL_N, default 100000: one CREATE TABLE,
# then INSERTs and every tenth an UPDATE, autocommit, ~70 bytes each) applied to a fresh database
# on one private mariadbd (bench/lib.sh: production durability, flush at each commit), two ways:
#   raw:   mariadb -S SOCK bench < file
#   upwiz: upwiz run bench/profiles/bench-sqlapply.yaml --plain --answers (journal on: every
#          statement journaled before it is sent and after the server answered)
# Each run starts from an empty database; alternated and paired (below). Goal: upwiz/raw <= 1.05.
# Also the disk's flushes, alone and two at once (build/bench_flush): the journal's flushes overlap
# the server's only as far as the disk allows.
# Then the system calls per statement of both, counted under strace (BENCH_SQL_STRACE_N).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bin=${UPWIZ_BIN:?}
n=${BENCH_SQL_N:-100000}
w=$(mktemp -d /tmp/upwiz-bench-sql.XXXXXX)
trap 'bench_mysqld_stop; rm -rf "$w"' EXIT
bench_mysqld_start "$w/db" || exit 1

awk -v n="$n" 'BEGIN {
	print "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(64), v INT, note VARCHAR(64));"
	for (i = 1; i < n; i++)
		if (i % 10 == 0)
			printf "UPDATE t SET v = v + 1, note = '\''touched %d'\'' WHERE id = %d;\n", i, i - 5
		else
			printf "INSERT INTO t (id, name, v, note) VALUES (%d, '\''name %d'\'', %d, '\''x;y'\'');\n", i, i, i * 3
}' >"$w/apply.sql"
bytes=$(stat -c %s "$w/apply.sql")

cat >"$w/answers.yaml" <<A
vars: { DB_SOCKET: "$DB_SOCK", DB_USER: root, DB_PASSWORD: "", DB_NAME: bench, SQL_FILE: "$w/apply.sql" }
answers: { apply: yes, apply.no-backup: "I accept the risk" }
A
# raw and upwiz alternated: raw, upwiz, raw, upwiz, ..., raw (BENCH_SQL_ROUNDS upwiz runs, default
# 3), each from an empty database. Each upwiz run is set against the mean of the raw runs just
# before and after it, and the median of those ratios counts: on this shared VM the disk's flush
# time drifts by half within minutes, so a best-of-each compares two different moments.
raw_run() {   # -> $t; checks the result
	mariadb -S "$DB_SOCK" -uroot -e 'DROP DATABASE IF EXISTS bench; CREATE DATABASE bench'
	local t0=$(now)
	mariadb -S "$DB_SOCK" -uroot bench <"$w/apply.sql" || { echo "raw apply failed"; exit 1; }
	t=$(elapsed "$t0")
	rows_raw=$(mariadb -S "$DB_SOCK" -uroot -N -e 'select count(*), sum(v) from bench.t')
}
raw_run; prev=$t
ratios=() raws=("$prev")
for round in $(seq 1 "${BENCH_SQL_ROUNDS:-3}"); do
	mariadb -S "$DB_SOCK" -uroot -e 'DROP DATABASE bench; CREATE DATABASE bench'
	rm -rf "$w/state"
	t0=$(now)
	XDG_STATE_HOME=$w/state "$bin" run "$here/profiles/bench-sqlapply.yaml" --plain --answers "$w/answers.yaml" \
		</dev/null >"$w/upwiz.out" 2>&1
	rc=$?
	up=$(elapsed "$t0")
	[ $rc -eq 0 ] || { echo "upwiz run failed ($rc):"; tail -20 "$w/upwiz.out"; exit 1; }
	rows_up=$(mariadb -S "$DB_SOCK" -uroot -N -e 'select count(*), sum(v) from bench.t')
	jl=$(cat "$w"/state/upwiz/runs/*/journal.jsonl | wc -l)
	raw_run
	[ "$rows_up" = "$rows_raw" ] || { echo "different results: raw '$rows_raw' upwiz '$rows_up'"; exit 1; }
	ratios+=("$(echo "2 * $up / ($prev + $t)" | bc -l)") raws+=("$t")
	echo "  round $round: upwiz $(fmt "$up") s between mariadb $(fmt "$prev") s and $(fmt "$t") s: $(fmt "${ratios[-1]}" 3)"
	prev=$t
done
sorted=$(printf '%s\n' "${ratios[@]}" | sort -g)
ratio=$(echo "$sorted" | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
lo=$(echo "$sorted" | head -1) hi=$(echo "$sorted" | tail -1)
echo "  $n statements ($bytes bytes), journal $jl records; rounds $(fmt "$lo" 3)-$(fmt "$hi" 3)"
row "SQL apply ${n} stmts: upwiz/raw" "$(fmt "$ratio" 3)" "<= 1.05" "$(verdict le "$ratio" 1.05)" \
	"median of ${#ratios[@]} rounds ($(fmt "$lo" 3)-$(fmt "$hi" 3)); mariadb $(printf '%s ' "${raws[@]}" | xargs -n1 printf '%.1f ' | sed 's/ $//') s"
# What the time is made of, counted rather than timed (counts do not move with the VM): the
# system calls and flushes of upwiz (every process and thread: front end, engine, journal and hub
# threads) and of the mariadb client, per statement, over the first BENCH_SQL_STRACE_N statements
# (10000; 0 skips it) under `strace -c -f`.
sn=${BENCH_SQL_STRACE_N:-10000}
if [ "$sn" -gt 0 ] && command -v strace >/dev/null; then
	[ "$sn" -gt "$n" ] && sn=$n
	head -n "$sn" "$w/apply.sql" >"$w/strace.sql"
	sed "s#$w/apply.sql#$w/strace.sql#" "$w/answers.yaml" >"$w/answers-strace.yaml"
	mariadb -S "$DB_SOCK" -uroot -e 'DROP DATABASE IF EXISTS bench; CREATE DATABASE bench'
	strace -f -c -o "$w/raw.strace" mariadb -S "$DB_SOCK" -uroot bench <"$w/strace.sql"
	mariadb -S "$DB_SOCK" -uroot -e 'DROP DATABASE bench; CREATE DATABASE bench'
	rm -rf "$w/state"
	XDG_STATE_HOME=$w/state strace -f -c -o "$w/up.strace" "$bin" run "$here/profiles/bench-sqlapply.yaml" --plain \
		--answers "$w/answers-strace.yaml" </dev/null >"$w/upwiz-strace.out" 2>&1 ||
		{ echo "upwiz run under strace failed:"; tail -5 "$w/upwiz-strace.out"; exit 1; }
	# strace -c columns: % time, seconds, usecs/call, calls, [errors], syscall (or "total")
	calls() { awk -v s="$2" '$NF == s { print $4 }' "$1"; }
	per() { echo "${1:-0} / $sn" | bc -l; }
	rt=$(calls "$w/raw.strace" total) ut=$(calls "$w/up.strace" total)
	uf=$(calls "$w/up.strace" fdatasync) uw=$(calls "$w/up.strace" write)
	echo "  strace over $sn statements: mariadb $rt system calls; upwiz $ut ($uw write, ${uf:-0} fdatasync)"
	row "SQL apply: system calls / statement" "$(fmt "$(per "$ut")" 1)" "(reported)" "-" \
		"mariadb client $(fmt "$(per "$rt")" 1); upwiz fdatasync $(fmt "$(per "$uf")" 2), write $(fmt "$(per "$uw")" 2)"
fi
if [ -x "${BENCH_FLUSH_BIN:-}" ]; then
	fl=$("$BENCH_FLUSH_BIN" "$w" 1000) && {
		echo "  disk flushes: $fl"
		row "disk: flushes two at once / alone" "$(echo "$fl" | sed -nE 's/.*together\/alone ([0-9.]+).*/\1/p')" "(reported)" "-" \
			"$(echo "$fl" | sed -E 's/;.*//')"
	}
fi
