#!/usr/bin/env bash
# Secrets: the whole Linkis upgrade in the sandbox (`upwiz sandbox --golden --keep`), then a search
# for the world's DB password and every token value it holds in
#   - every file the run wrote: the state folder (journal, events, log, run.json, engine output)
#     and every file of the world created or changed during the run, except the database's own
#     files, the product's conf (the token sync writes tokens there, that is its job) and the
#     backups (a dump of the database holds its tokens: those must be 0600, checked instead);
#   - the argv and environment of every child the engine started: PATH-front wrappers log
#     "$0 $@" and `env` for the programs the engine and the world's scripts call (the real
#     mariadb-dump and mariadb included) and exec the real one; a poller also records cmdline and
#     environ of every live process carrying this test's XDG_STATE_HOME (every descendant of the
#     engine, and the engine itself), every 20 ms.
# No hit anywhere. The password must reach mariadb-dump only through its 0600 option file.
. "$(dirname "$0")/lib.sh"
export XDG_STATE_HOME=$T/state
wrap=$T/wrap; mkdir -p "$wrap"
log=$T/children.log; : > "$log"
SED=$(command -v sed) ENV=$(command -v env)
for prog in mariadb-dump mysqldump mariadb mysql sh bash dash ln tar gzip curl java python3 nohup setsid; do
	real=$(command -v "$prog") || continue
	case "$real" in /*) ;; *) continue ;; esac
	cat > "$wrap/$prog" <<W
#!$BASH
{ printf 'ARGV: %s' "\$0"; printf ' %q' "\$@"; printf '\n'; $ENV | $SED 's/^/ENV: /'; } >> "$log" 2>/dev/null
exec "$real" "\$@"
W
	chmod +x "$wrap/$prog"
done
# The poller: every process whose environment carries this test's state folder (one grep over
# /proc per round, then only the matching processes are read).
(
	while :; do
		for e in $(grep -lsF "XDG_STATE_HOME=$XDG_STATE_HOME" /proc/[0-9]*/environ); do
			p=${e%/environ}
			{ echo "PROC: $(tr '\0' ' ' < "$p/cmdline" 2>/dev/null)"; tr '\0' '\n' < "$e" 2>/dev/null | $SED 's/^/PENV: /'; } >> "$T/procs.log" 2>/dev/null
		done 2>/dev/null
		sleep 0.1
	done
) &
poller=$!
out=$(PATH="$wrap:$PATH" timeout 400 "$bin" sandbox linkis-1.3.2-to-1.4.0 --plain --golden --keep </dev/null 2>&1); rc=$?
kill "$poller"; wait "$poller" 2>/dev/null
echo "$out" | grep -E "ERROR|FAIL" | head -10
t "the golden sandbox run succeeds" '[ $rc -eq 0 ]'
run=$(ls -d "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
root=$run/sandbox
t "the wrappers saw the real mariadb-dump" 'grep -q "^ARGV: .*mariadb-dump.* --defaults-extra-file=" "$log"'
t "the poller saw the engine's children" '[ $(grep -c "^PROC: " "$T/procs.log") -gt 10 ]'

secrets=()
while IFS= read -r s; do [ -n "$s" ] && secrets+=("$s"); done < <(grep -rhoE "(BML|WS|DSM|LINKIS_CLI|QML|DSS|QUALITIS|VALIDATOR|LINKISCLI)-[0-9a-f]{32}" "$root/linkis/conf" "$root/linkis/db" 2>/dev/null | sort -u)
pw=$(grep -hoE "MYSQL_PASSWORD=[^ ]+" "$root/linkis/conf/db.sh" | head -1 | cut -d= -f2- | tr -d "'\"")
t "found the password and tokens to look for" '[ -n "$pw" ] && [ ${#secrets[@]} -ge 4 ]'
secrets+=("$pw")
echo "looking for ${#secrets[@]} secret values"

# Files the run wrote: the state folder outside the world, and the world's files changed after the
# run's first journal record (the world was built before it). Not searched, for they must hold the
# secrets: the database's files, the product's conf (the token sync's target) and what the simulated
# Linkis services keep (sim/), the backups and the originals kept for roll-back (checked for 0600).
# (with its milliseconds: on an idle machine the world is built within the same second)
t0=$(grep -m1 -oE '"t":"step_enter","ts":[0-9]+(\.[0-9]+)?' "$run/journal.jsonl" | grep -oE '[0-9]+(\.[0-9]+)?$')
kept=(-not -path "$root/mysql/*" -not -path "$root/linkis/conf/*" -not -path "$root/sim/*" -not -path "$root/backups/*"
	-not -path "$run/originals/*" -not -path "$run/moved-aside/*")
files=()
while IFS= read -r f; do files+=("$f"); done < <(find "$XDG_STATE_HOME" -type f -not -path "$root/*" "${kept[@]}")
while IFS= read -r f; do files+=("$f"); done < <(find "$root" -type f -newermt "@$t0" "${kept[@]}")
echo "searching ${#files[@]} files the run wrote"
leaks=0
for s in "${secrets[@]}"; do
	[ ${#s} -ge 8 ] || { echo "a secret shorter than 8 characters: cannot search for it"; leaks=$((leaks+1)); continue; }
	for f in "${files[@]}"; do
		grep -qF -- "$s" "$f" 2>/dev/null && { echo "LEAK of ${s:0:4}... in $f"; leaks=$((leaks+1)); }
	done
	grep -qF -- "$s" "$log" && { echo "LEAK of ${s:0:4}... in a child's argv or environment:"; grep -F -- "$s" "$log" | sed "s/$s/<SECRET>/g" | cut -c1-200 | head -3; leaks=$((leaks+1)); }
	grep -qF -- "$s" "$T/procs.log" && { echo "LEAK of ${s:0:4}... in a live process's argv or environment:"; grep -F -- "$s" "$T/procs.log" | sed "s/$s/<SECRET>/g" | cut -c1-200 | head -3; leaks=$((leaks+1)); }
	grep -qF -- "$s" <<<"$out" && { echo "LEAK of ${s:0:4}... on the terminal"; leaks=$((leaks+1)); }
done
t "no secret in any file the run wrote, any child's argv or environment, or the terminal" '[ $leaks -eq 0 ]'
bad=$(find "$root/backups" "$run/originals" -type f ! -perm 0600 2>/dev/null | head -3)
t "every backup and kept original (they hold the tokens) is 0600: ${bad:-ok}" '[ -z "$bad" ] && [ -n "$(find "$root/backups" -type f)" ]'
t "the run folder is 0700" '[ "$(stat -c %a "$run")" = 700 ]'
t "no option file left behind" '[ -z "$(find "$root" "$XDG_STATE_HOME" -name "*.cnf" -newermt "@$t0" -not -path "$root/mysql/*" 2>/dev/null)" ]'
pkill_root() { for p in /proc/[0-9]*; do grep -qF "$root" "$p/cmdline" 2>/dev/null && kill "${p#/proc/}" 2>/dev/null; done; }
pkill_root
sf_end
