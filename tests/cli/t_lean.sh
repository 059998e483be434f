#!/usr/bin/env bash
# The lean front: `upwiz` ($UPWIZ_BIN) links libc + libyaml only and runs list, check, --help,
# --version itself; every other command is execv()'d into upwiz-full, found beside it or in
# ../libexec/ from /proc/self/exe (never PATH), same pid, same argv. Also `cmake --install`:
# bin/upwiz, libexec/upwiz-full, share/upwiz/{profiles,assets} work from the installed tree.
set -u
bin=${UPWIZ_BIN:?}
src=${UPWIZ_SOURCE_DIR:?}
build=$(cd "$(dirname "$bin")" && pwd)
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
tmp=$(mktemp -d)
sim=
cleanup() { [ -n "$sim" ] && kill "$sim" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export XDG_STATE_HOME=$tmp/state
unset UPWIZ_PROFILES   # section 5 checks where the installed programs find profiles

# 1. what the lean binary links (NEEDED entries, and everything ldd resolves under them)
heavy='curl|mysql|mariadb|archive|ncurses|tinfo|crypto|ssl|gnutls|krb5|ldap|xml2|icu|jansson'
needed=$(readelf -d "$bin" | awk '/NEEDED/ {print $NF}')
t "the lean upwiz NEEDs libc and libyaml ($(echo $needed))" 'grep -q libc.so <<<"$needed" && grep -q libyaml <<<"$needed"'
t "the lean upwiz NEEDs nothing heavy" '! grep -Eq "$heavy" <<<"$needed"'
all=$(ldd "$bin")
t "nor does anything it loads (ldd)" '! grep -Eq "$heavy" <<<"$all"'
full=$build/upwiz-full
t "upwiz-full is beside it and links the rest (curl, MariaDB)" \
	'[ -x "$full" ] && readelf -d "$full" | grep -q "NEEDED.*curl" && readelf -d "$full" | grep -Eq "NEEDED.*(mysql|mariadb)"'

# 2. check / list / --help / --version with the lean binary alone (no upwiz-full anywhere near)
mkdir -p "$tmp/alone"
cp "$bin" "$tmp/alone/upwiz"
lone=$tmp/alone/upwiz
cat > "$tmp/bad.yaml" <<'Y'
id: bad
title: Bad
from: "1"
to: "2"
target: x
steps:
  - id: a
    screen: envcheck
    checks:
      - name: c
        comand: "true"
Y
out=$("$lone" check "$tmp/bad.yaml" 2>&1); rc=$?
t "alone: a broken profile gives FILE:LINE:COL and exit 2" '[ $rc -eq 2 ] && grep -q "bad.yaml:11:9: unknown field .comand." <<<"$out"'
out=$("$lone" check linkis-1.3.2-to-1.4.0 2>&1); rc=$?
t "alone: the bundled Linkis profile checks clean" '[ $rc -eq 0 ] && grep -q "ok (linkis-1.3.2-to-1.4.0, 9 steps)" <<<"$out"'
out=$("$lone" list 2>&1); rc=$?
t "alone: list" '[ $rc -eq 0 ] && grep -q "linkis-1.3.2-to-1.4.0.*1.3.2 -> 1.4.0" <<<"$out"'
t "alone: --help and --version" '"$lone" --help | grep -q "3 refused" && [ "$("$lone" --version)" = "$("$full" --version)" ]'
out=$("$lone" 2>&1); rc=$?
t "alone: no command prints the usage, exit 2" '[ $rc -eq 2 ] && grep -q "^usage: upwiz" <<<"$out"'
out=$("$lone" sessions 2>&1); rc=$?
t "alone: another command says upwiz-full is missing, exit 1 ($out)" \
	'[ $rc -eq 1 ] && grep -q "sessions needs the full program: neither $tmp/alone/upwiz-full nor" <<<"$out"'

# 3. the two programs answer the light commands alike
for args in "check linkis-1.3.2-to-1.4.0 $tmp/bad.yaml" "check" "list" "--help" "help" "-h" ""; do
	# shellcheck disable=SC2086
	a=$("$bin" $args 2>&1); ra=$?
	# shellcheck disable=SC2086
	b=$("$full" $args 2>&1); rb=$?
	t "upwiz and upwiz-full agree on '$args' (exit $ra/$rb)" '[ "$a" = "$b" ] && [ $ra -eq $rb ]'
done

# 4. the exec: never PATH, the same argv and pid, through a symlink too
mkdir -p "$tmp/path"
printf '#!/bin/sh\necho WRONG-UPWIZ-FULL\nexit 42\n' > "$tmp/path/upwiz-full"
chmod +x "$tmp/path/upwiz-full"
out=$(PATH=$tmp/path:$PATH "$bin" frobnicate 2>&1); rc=$?
t "an upwiz-full on PATH is not used; unknown command still exits 2" \
	'[ $rc -eq 2 ] && ! grep -q WRONG <<<"$out" && grep -q "unknown command frobnicate" <<<"$out"'
ln -s "$bin" "$tmp/upwiz-link"
out=$("$tmp/upwiz-link" sessions 2>&1); rc=$?
t "through a symlink, sessions reaches upwiz-full (exit 0)" '[ $rc -eq 0 ]'
cat > "$tmp/routes.yaml" <<'Y'
routes:
  - { path: /ping, status: 200, content_type: text/plain, body: pong }
Y
for _ in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 30000))
	rm -f "$tmp/sim.pid"
	"$bin" sim-http --port "$port" --routes "$tmp/routes.yaml" --pidfile "$tmp/sim.pid" 2>"$tmp/sim.err" &
	sim=$!
	for _ in $(seq 1 200); do [ -s "$tmp/sim.pid" ] && break; kill -0 "$sim" 2>/dev/null || break; sleep 0.05; done
	[ -s "$tmp/sim.pid" ] && break
	wait "$sim" 2>/dev/null; sim=
done
if [ -n "$sim" ] && [ -s "$tmp/sim.pid" ]; then
	t "sim-http runs in the same process (exec, no fork)" '[ "$(cat "$tmp/sim.pid")" = "$sim" ]'
	t "that process is upwiz-full" '[ "$(readlink "/proc/$sim/exe")" = "$(readlink -f "$full")" ]'
	argv0=$(tr '\0' '\n' <"/proc/$sim/cmdline" | head -1)
	t "with argv[0] as typed ($argv0)" '[ "$argv0" = "$bin" ]'
	body=$(exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /ping HTTP/1.0\r\n\r\n' >&3 && timeout 10 cat <&3)
	t "and it answers on loopback" 'grep -q pong <<<"$body"'
	kill "$sim"; wait "$sim" 2>/dev/null; sim=
else
	t "sim-http started ($(cat "$tmp/sim.err" 2>/dev/null))" 'false'
fi

# 5. an install: cmake --install of this build into a prefix
if cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1; then
	p=$tmp/prefix
	t "installed: bin/upwiz, libexec/upwiz-full, share/upwiz/profiles and assets" \
		'[ -x "$p/bin/upwiz" ] && [ -x "$p/libexec/upwiz-full" ] && [ -f "$p/share/upwiz/profiles/linkis-1.3.2-to-1.4.0.yaml" ] && [ -d "$p/share/upwiz/assets/linkis-1.3.2-to-1.4.0/world" ]'
	out=$("$p/bin/upwiz" check linkis-1.3.2-to-1.4.0 2>&1); rc=$?
	t "installed: check finds the profile under share/upwiz ($out)" \
		'[ $rc -eq 0 ] && grep -q "^$p/bin/../share/upwiz/profiles/linkis-1.3.2-to-1.4.0.yaml: ok" <<<"$out"'
	out=$("$p/bin/upwiz" sandbox linkis-1.3.2-to-1.4.0 --list-scenarios 2>&1); rc=$?
	t "installed: sandbox --list-scenarios runs libexec/upwiz-full and finds the world's assets" \
		'[ $rc -eq 0 ] && [ -n "$out" ] && ! grep -q "no scenarios" <<<"$out"'
	out=$(cd / && "$p/bin/upwiz" plan linkis-1.3.2-to-1.4.0 --var LINKIS_HOME=/nonexistent 2>&1); rc=$?
	t "installed: plan (upwiz-full) lists the nine steps" '[ $rc -eq 0 ] && [ $(grep -cE "^ ?[0-9]+\. " <<<"$out") -eq 9 ]'
else
	t "cmake --install works" 'false'; cat "$tmp/install.log"
fi

echo "t_lean: $pass passed, $fail failed"
[ $fail -eq 0 ]
