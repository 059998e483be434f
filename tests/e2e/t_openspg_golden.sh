#!/usr/bin/env bash
# The KAG / OpenSPG v0.5 -> v0.6 profile, unattended, on its sandbox world:
#   1. `upwiz sandbox openspg-0.5-to-0.6 --plain --golden` succeeds: every step done, the SQL
#      journaled statement by statement, docker called in the guide's order (stop, rm, rmi of the
#      image the container really used, then compose up in the install folder), the server
#      running the pinned image; no secret in any file the run wrote nor on the terminal;
#   2. the same world on a genuine v0.5 schema (a copy of profile and world whose seed lacks the
#      KAG tables): the run stops in the env check saying so, exit 1, and no statement was sent;
#   3. not keeping the knowledge base: containers and images removed, mysql pinned, 0.6 empty;
#   4. the compose file downloaded over HTTP (libcurl) from a loopback server instead of a copy.
set -u
bin=${UPWIZ_BIN:?}
src=${UPWIZ_SOURCE_DIR:?}
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || { echo "skipped: mariadbd not installed"; exit 77; }
command -v mariadb >/dev/null || { echo "skipped: the mariadb client (used by the world's docker stand-in) is not installed"; exit 77; }
export XDG_STATE_HOME=$(mktemp -d)
tmp=$(mktemp -d)
cleanup() {
	# the kept worlds' simulated server, by the pid files the world wrote (never by name)
	for f in "$XDG_STATE_HOME"/upwiz/runs/*/sandbox/sim/pid/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
	rm -rf "$XDG_STATE_HOME" "$tmp"
}
trap cleanup EXIT
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }

out=$(timeout 300 "$bin" sandbox openspg-0.5-to-0.6 --plain --golden --keep </dev/null 2>&1); rc=$?
echo "$out" | tail -30
t "golden sandbox run exits 0" '[ $rc -eq 0 ]'
run=$(ls -d "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
t "run folder exists" '[ -d "$run" ]'
t "journal: 18 statements done" '[ $(grep -c "\"t\":\"stmt_done\"" "$run/journal.jsonl") -eq 18 ]'
t "journal records the finished success" 'grep -q "\"outcome\":\"success\"" "$run/journal.jsonl"'
for step in precautions keep-data env-check backup sql-apply compose-file pin-images replace-server start verify; do
	t "step $step done" 'grep -q "\"t\":\"step\",\"id\":\"'$step'\",\"state\":\"done\"" "$run/events.jsonl"'
done
# the ALTER's echo is cut inside a Chinese comment: the cut keeps whole characters, so the log
# line is valid UTF-8 and keeps its text (a half character used to make the event lose it)
t "every statement's log line has its text (the ALTER's too)" 'grep -q "\"text\":\"upgrade-0.5.1-to-0.6.sql:15: ALTER TABLE" "$run/events.jsonl" && ! grep "\"level\":\"sql\"" "$run/events.jsonl" | grep -qv "\"text\""'
t "the profile's closing words end a successful run" 'grep -q "The KAG web UI is at http" <<<"$out"'
t "run.log is valid UTF-8" 'iconv -f UTF-8 -t UTF-8 "$run/run.log" >/dev/null'
root="$run/sandbox"
calls="$root/sim/state/docker.calls"
t "docker calls recorded" '[ -s "$calls" ]'
order=$(grep -oE "docker (stop|rm|rmi|compose -f [^ ]+ up -d)( [^ ]+)?" "$calls" | sed 's/ *$//' | paste -sd'|')
t "docker in the guide's order (got: $order)" '[ "$order" = "docker stop release-openspg-server|docker rm release-openspg-server|docker rmi spg-registry.us-west-1.cr.aliyuncs.com/spg/openspg-server:latest|docker compose -f docker-compose-west.yml up -d" ]'
t "the server container runs the pinned image" 'grep -q "^release-openspg-server|spg-registry.cn-hangzhou.cr.aliyuncs.com/spg/openspg-server:0.6|running|release|" "$root/sim/docker/containers"'
t "no openspg-server:latest left in the compose file" '! grep -q "openspg-server:latest" "$root/release/docker-compose-west.yml"'
t "the old compose file was moved aside, not lost" '[ -n "$(find "$run/moved-aside" -name docker-compose-west.yml 2>/dev/null)" ]'
t "a verified database dump exists" 'ls "$root"/backups/*/openspg.sql >/dev/null 2>&1'

# secrets: the world's database password
pw=$(sed -n 's/^password=//p' "$root/sim/docker/my.cnf" 2>/dev/null)
t "found the world's password to look for" '[ -n "$pw" ]'
leaks=0
for f in "$run"/*.jsonl "$run"/run.log "$run"/engine.out "$run"/run.json; do
	[ -f "$f" ] && [ -n "$pw" ] && grep -qF -- "$pw" "$f" && { echo "LEAK of ${pw:0:4}... in $f"; leaks=$((leaks+1)); }
done
[ -n "$pw" ] && grep -qF -- "$pw" <<<"$out" && { echo "LEAK in the plain output"; leaks=$((leaks+1)); }
t "no secret in any file the run wrote nor on the terminal" '[ $leaks -eq 0 ]'

# 2. genuine v0.5: a copy of the profile and its world whose seed has no KAG tables
mkdir -p "$tmp/p/profiles" "$tmp/p/assets"
cp "$src/profiles/openspg-0.5-to-0.6.yaml" "$tmp/p/profiles/"
cp -a "$src/assets/openspg-0.5-to-0.6" "$tmp/p/assets/"
sed -i '/seed\/02-kag-0.5.1.sql/d' "$tmp/p/assets/openspg-0.5-to-0.6/world/world.yaml"
before=$(ls "$XDG_STATE_HOME/upwiz/runs" | wc -l)
out=$(timeout 300 "$bin" sandbox "$tmp/p/profiles/openspg-0.5-to-0.6.yaml" --plain --golden </dev/null 2>&1); rc=$?
echo "$out" | grep -E "genuine|stops|finished" | head -5
run5=$(ls -dt "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
t "genuine v0.5: a second run folder" '[ $(ls "$XDG_STATE_HOME/upwiz/runs" | wc -l) -gt $before ]'
t "genuine v0.5: exit 1" '[ $rc -eq 1 ]'
t "genuine v0.5: says it is a genuine v0.5 schema" 'grep -q "genuine OpenSPG v0.5 schema" <<<"$out"'
t "genuine v0.5: the run stopped in the env check" 'grep -q "\"t\":\"step\",\"id\":\"env-check\",\"state\":\"failed\"" "$run5/events.jsonl"'
t "genuine v0.5: no SQL statement was sent" '! grep -q "\"t\":\"stmt_" "$run5/journal.jsonl"'
t "genuine v0.5: sql-apply never started" '! grep -q "\"id\":\"sql-apply\",\"state\":\"running\"" "$run5/events.jsonl"'
t "genuine v0.5: no docker effect" '! grep -qE "docker (stop|rm|rmi|compose -f)" "$run5/sandbox/sim/state/docker.calls" 2>/dev/null'
# 3. not keeping the knowledge base: every openspg container and image goes, 0.6 starts empty
cat > "$tmp/fresh.yaml" <<'Y'
vars: {}
answers: { precautions: "yes", keep-data: fresh, keep-data.confirm: openspg, env-check: "yes", backup: "yes",
           compose-file: "yes", pin-images: "yes", replace-server: "yes", start: "yes", verify: "yes" }
Y
out=$(timeout 300 "$bin" sandbox openspg-0.5-to-0.6 --plain --answers "$tmp/fresh.yaml" --keep </dev/null 2>&1); rc=$?
runf=$(ls -dt "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
rootf="$runf/sandbox"
t "fresh: exit 0" '[ $rc -eq 0 ] || { echo "$out" | tail -20; false; }'
t "fresh: no statement of the guide's SQL was applied" '! grep -q "\"t\":\"stmt_done\"" "$runf/journal.jsonl"'
t "fresh: the old images were deleted" '! grep -q "openspg-mysql:latest" "$rootf/sim/docker/images"'
t "fresh: mysql runs the pinned 0.6 image" 'grep -q "^release-openspg-mysql|spg-registry.cn-hangzhou.cr.aliyuncs.com/spg/openspg-mysql:0.6|running|" "$rootf/sim/docker/containers"'
t "fresh: the server lists no project (an empty knowledge base)" '[ "$(cat "$rootf/sim/state/projects.json")" = "[]" ]'
t "fresh: a dump was still taken first" 'ls "$rootf"/backups/*/openspg.sql >/dev/null 2>&1'

# 4. the compose file downloaded from a URL (libcurl) instead of a local copy
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null)
if [ -n "$port" ]; then
	mkdir -p "$tmp/u/profiles" "$tmp/u/assets" "$tmp/www"
	cp "$src/profiles/openspg-0.5-to-0.6.yaml" "$tmp/u/profiles/"
	cp -a "$src/assets/openspg-0.5-to-0.6" "$tmp/u/assets/"
	cp "$src/assets/openspg-0.5-to-0.6/world/tree/downloads/docker-compose-west.yml" "$tmp/www/"
	sed -i 's|^  COMPOSE_LOCAL: .*|  COMPOSE_LOCAL: ""|; s|^  COMPOSE_URL: .*|  COMPOSE_URL: "http://127.0.0.1:'$port'/OpenSPG/openspg/v0.6/dev/release/docker-compose-west.yml"|' \
		"$tmp/u/assets/openspg-0.5-to-0.6/world/world.yaml"
	printf 'routes:\n  - path: /OpenSPG/openspg/v0.6/dev/release/docker-compose-west.yml\n    content_type: text/plain\n    body_file: %s\n' \
		"$tmp/www/docker-compose-west.yml" > "$tmp/www/routes.yaml"
	"$bin" sim-http --port "$port" --routes "$tmp/www/routes.yaml" --pidfile "$tmp/www/pid" >/dev/null 2>&1 &
	for _ in $(seq 100); do [ -s "$tmp/www/pid" ] && break; sleep 0.05; done
	out=$(timeout 300 "$bin" sandbox "$tmp/u/profiles/openspg-0.5-to-0.6.yaml" --plain --golden </dev/null 2>&1); rc=$?
	[ -s "$tmp/www/pid" ] && kill "$(cat "$tmp/www/pid")" 2>/dev/null
	runu=$(ls -dt "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
	t "URL: exit 0" '[ $rc -eq 0 ] || { echo "$out" | tail -20; false; }'
	t "URL: the file was downloaded into the run folder and checked" 'grep -q "\"name\":\"SHA-256\",\"status\":\"pass\"" "$runu/events.jsonl" && [ -n "$(find "$runu" -path "*download*" -name docker-compose-west.yml)" ]'
else
	echo "note: python3 missing: the download variant is not run"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
