#!/usr/bin/env bash
# The escape test: tests/sandbox/escape/escape.yaml tries to get out of its sandbox (a command
# writing to an absolute path outside, a symlink inside the root pointing out, an absolute
# destination, a destination climbing out with "..", a backup written outside, a file read
# outside, database connections to another host / over TCP / through another socket, URLs to
# non-loopback hosts). Each attempt must be refused with a clear message and counted, and the
# canary folder outside must be exactly as it was. No database needed: the world has none.
set -u
. "$(dirname "$0")/lib.sh"

canary="$XDG_STATE_HOME/canary"
mkdir -p "$canary"
echo "do not touch" > "$canary/canary.txt"
touch -d '2020-01-01 00:00:00' "$canary/canary.txt" "$canary"
before=$(cd "$canary" && find . -printf '%p %s %T@ %m\n' | sort)

out=$(timeout 120 "$bin" sandbox "$src/tests/sandbox/escape/escape.yaml" --plain --golden --var CANARY="$canary" </dev/null 2>&1); rc=$?
run=$(last_run)
wait_engine "$run"
echo "$out" | grep -E "sandbox|refus" | head -40

after=$(cd "$canary" && find . -printf '%p %s %T@ %m\n' | sort)
t "the canary folder outside is untouched (nothing added, changed or removed)" '[ "$before" = "$after" ]'
t "the run went through every attempt (exit 0: each refusal skipped)" '[ $rc -eq 0 ]'
log="$run/run.log"
refused() { grep -c "sandbox: refused" "$log"; }
t "command with an absolute path outside: refused, naming the path" 'grep -q "sandbox: refused.*$canary/pwned-by-command" "$log"'
t "copy through a symlink pointing out: refused" 'grep -q "sandbox: refused.*out/link" "$log"'
t "copy to an absolute path outside: refused" 'grep -qE "sandbox: refused.*$canary( |\)|$)" "$log"'
t "copy climbing out with ..: refused" 'grep -q "sandbox: refused.*out/\.\./\.\./\.\./\.\./\.\./canary" "$log"'
t "backup written outside: refused" 'grep -q "sandbox: refused.*$canary/backups" "$log"'
t "file read outside: refused" 'grep -q "sandbox: refused.*$canary/canary.txt" "$log"'
t "database on another host: refused" 'grep -qE "sandbox: refused.*192\.0\.2\.10" "$log"'
t "database over TCP: refused" 'grep -qE "sandbox: refused.*127\.0\.0\.1" "$log"'
# this world has no database, so a socket connection is refused as such (the comparison with the
# sandbox's own socket is in tests/unit/test_guard.c)
t "database through a socket: refused" 'grep -q "sandbox: refused a database connection (this sandbox has no database)" "$log"'
t "URL to a non-loopback address: refused" 'grep -q "sandbox: refused.*192\.0\.2\.1:8080" "$log"'
t "URL to a host name: refused" 'grep -q "sandbox: refused.*example\.com" "$log"'
n=$(grep -oE "the sandbox guard refused [0-9]+ action" "$log" | grep -oE "[0-9]+")
echo "guard count: ${n:-none}; refusal lines: $(refused)"
t "the guard counted the 11 attempts, each once" '[ "${n:-0}" -eq 11 ]'
t "no sanitizer report from the engine" 'no_sanitizer_report "$run"'
t "the report states the count" 'grep -q "^- Sandbox guard: $n refusals" "$run/report.md"'
t "skipping past refusals shows up as mistakes in the report" 'grep -q "Skipped step .abs-command." "$run/report.md"'
[ $fail -gt 0 ] && { echo "$out" | tail -60; cat "$run/report.md"; }
finish
