# bench/lib.sh: shared by the benchmarks (sourced). A private mariadbd on a Unix socket in a
# temp folder (no network, no root password), timing helpers, and the result table.
#
# Every figure goes through `row NAME FIGURE GOAL VERDICT NOTE` into $BENCH_OUT/results.tsv;
# bench/run.sh prints them as one table.

bench_mysqld_start() {   # DIR -> sets DB_SOCK; server durability as in production (flush at commit)
	local dir=$1
	mkdir -p "$dir/data" "$dir/tmp"
	DB_SOCK=$dir/mysqld.sock
	local user=()
	[ "$(id -u)" -eq 0 ] && user=(--user=root)
	mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
		--skip-test-db --skip-name-resolve "${user[@]}" >"$dir/install.log" 2>&1 || {
		echo "mariadb-install-db failed:"; tail "$dir/install.log"; return 1; }
	mariadbd --no-defaults --datadir="$dir/data" --socket="$DB_SOCK" --pid-file="$dir/mysqld.pid" \
		--log-error="$dir/mysqld.err" --tmpdir="$dir/tmp" --skip-networking "${user[@]}" \
		--character-set-server=utf8mb4 --innodb-buffer-pool-size=256M --innodb-log-file-size=256M \
		--skip-name-resolve --max-allowed-packet=64M ${BENCH_MYSQLD_OPTS:-} &
	BENCH_MYSQLD_PID=$!
	for _ in $(seq 1 600); do
		mariadb -S "$DB_SOCK" -uroot -e 'select 1' >/dev/null 2>&1 && return 0
		kill -0 "$BENCH_MYSQLD_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "mariadbd did not start:"; tail "$dir/mysqld.err"; return 1
}

bench_mysqld_stop() {
	[ -n "${BENCH_MYSQLD_PID:-}" ] || return 0
	kill "$BENCH_MYSQLD_PID" 2>/dev/null
	wait "$BENCH_MYSQLD_PID" 2>/dev/null
	BENCH_MYSQLD_PID=
}

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l; }
fmt() { printf '%.*f' "${2:-2}" "$1"; }
le() { [ "$(echo "$1 <= $2" | bc -l)" = 1 ]; }   # le A B: A <= B
lt() { [ "$(echo "$1 < $2" | bc -l)" = 1 ]; }

row() {   # NAME FIGURE GOAL VERDICT NOTE
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$BENCH_OUT/results.tsv"
	printf '  %-34s %-16s goal %-12s %s  %s\n' "$1" "$2" "$3" "$4" "${5:-}"
}
verdict() { if "$@"; then echo met; else echo MISSED; fi; }
