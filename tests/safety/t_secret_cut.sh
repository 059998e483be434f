#!/usr/bin/env bash
# A secret in a child's line longer than the engine's line limit (PROC_LINE_MAX, 64 KiB), placed so
# that the cut falls inside it: the line reaches the engine in two pieces, and the secret must be
# masked anyway (the end of the first piece that could begin a secret is held back for the next).
# Checked in events.jsonl and run.log: no piece of the secret's text, "********" where it was, and
# every other byte of the line kept, in order. A second line ends a child's output with the start
# of the secret at the cut (nothing follows): what is held back is still logged when the child ends.
# The same child again with a capture over the cut: the kept output joins the pieces of the line, so
# the captured value is the whole secret, and it is logged masked.
# The child reads the secret from a file: a secret never goes to a child by argv or env.
set -u
bin=${UPWIZ_BIN:?}
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
tmp=$(mktemp -d /tmp/upwiz-sc.XXXXXX); trap 'rm -rf "$tmp"' EXIT

pw='Cut-s3cr3t-Pass'
printf '%s' "$pw" > "$tmp/pw"
# line 1: 65530 x, then the secret (its first 6 bytes before the 64 KiB cut), then " after";
# line 2: 65533 y, then the secret's first 3 bytes, then the output ends (no newline)
cat > "$tmp/long.sh" <<'S'
pw=$(cat "$1/pw")
head -c 65530 /dev/zero | tr '\0' x; printf '%s after\n' "$pw"
head -c 65533 /dev/zero | tr '\0' y; printf '%s' "${pw:0:3}"
S
cat > "$tmp/p.yaml" <<Y
id: t-secret-cut
title: "Secret across the line cut"
from: "0"
to: "1"
target: "secret cut \${OUT}"
vars:
  OUT: { prompt: "folder", type: dir }
  PW: { prompt: "a password the child prints", type: secret }
steps:
  - id: long
    title: Long lines
    screen: command
    commands:
      - title: "a child printing long lines"
        run: "bash \${OUT}/long.sh \${OUT}"
        timeout: 60
      - title: "the same line, its secret captured over the cut"
        run: "bash \${OUT}/long.sh \${OUT}"
        timeout: 60
        capture: GOT
        capture_match: "x(Cut-[^ ]*) after"
Y
printf 'vars: { OUT: "%s" }\nanswers: { long: yes }\n' "$tmp" > "$tmp/a.yaml"
UPWIZ_VAR_PW=$pw XDG_STATE_HOME=$tmp/state timeout 120 "$bin" run "$tmp/p.yaml" --plain --answers "$tmp/a.yaml" \
	</dev/null >"$tmp/out.txt" 2>&1
rc=$?
t "the run succeeds" '[ $rc -eq 0 ] || { tail -5 "$tmp/out.txt"; false; }'
run=$(ls -d "$tmp"/state/upwiz/runs/* | head -1)
# the text of the child's output, pieces joined again (each piece is one "out" log event)
joined() { grep '"level":"out"' "$run/events.jsonl" | sed -E 's/.*"text":"([^"]*)".*/\1/' | tr -d '\n'; }
x=$(printf 'x%.0s' $(seq 1 65530)); y=$(printf 'y%.0s' $(seq 1 65533))
t "the capture over the cut found the whole value and logged it masked" 'grep -q "\"text\":\"GOT = \*\*\*\*\*\*\*\*\"" "$run/events.jsonl"'
t "events.jsonl: the secret masked across the cut, every other byte kept (both commands)" \
	'[ "$(joined)" = "${x}******** after${y}${pw:0:3}${x}******** after${y}${pw:0:3}" ]'
t "events.jsonl: the line came in more than one piece (the cut happened)" '[ $(grep -c "\"level\":\"out\"" "$run/events.jsonl") -ge 3 ]'
logged=$(grep -F ' out   [long] ' "$run/run.log" | sed 's/^.* out   \[long\] //' | tr -d '\n')
t "run.log: the same" '[ "$logged" = "${x}******** after${y}${pw:0:3}${x}******** after${y}${pw:0:3}" ]'
for f in "$run"/*; do
	[ -f "$f" ] || continue
	t "no piece of the secret's text in $(basename "$f")" '! grep -qF -e "${pw:3}" -e "${pw:6}" "$f"'
done
t "nor in what the front end printed" '! grep -qF -e "${pw:3}" -e "${pw:6}" "$tmp/out.txt"'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
