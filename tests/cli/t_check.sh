#!/usr/bin/env bash
# upwiz check / list / plan / --help: exit codes and FILE:LINE:COL errors, secrets refused on argv.
set -u
bin=${UPWIZ_BIN:?}
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

out=$("$bin" check linkis-1.3.2-to-1.4.0 2>&1); rc=$?
t "bundled Linkis profile checks clean" '[ $rc -eq 0 ] && grep -q "ok (linkis-1.3.2-to-1.4.0" <<<"$out"'

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
  - id: a
    screen: nosuch
Y
out=$("$bin" check "$tmp/bad.yaml" 2>&1); rc=$?
t "malformed profile exits 2" '[ $rc -eq 2 ]'
t "unknown field named with line:col" 'grep -q "bad.yaml:11:9: unknown field .comand." <<<"$out"'
t "unknown screen named with line:col" 'grep -q "bad.yaml:13:13: unknown screen .nosuch." <<<"$out"'

printf 'id: x\ntitle: [unclosed\n' > "$tmp/syntax.yaml"
out=$("$bin" check "$tmp/syntax.yaml" 2>&1); rc=$?
t "YAML syntax error exits 2 with position" '[ $rc -eq 2 ] && grep -qE "syntax.yaml:[0-9]+:[0-9]+: " <<<"$out"'

out=$("$bin" check "$tmp/missing.yaml" 2>&1); rc=$?
t "missing file exits 2 naming it" '[ $rc -eq 2 ] && grep -q "missing.yaml" <<<"$out"'

out=$("$bin" list 2>&1)
t "list shows the Linkis profile with from -> to" 'grep -q "linkis-1.3.2-to-1.4.0.*1.3.2 -> 1.4.0" <<<"$out"'
t "list: the from -> to column starts at the same place on every line (the longest title included)" \
	'[ $(awk "{ print length(\$0) - length(\$NF) - length(\$(NF-2)) }" <<<"$out" | sort -u | wc -l) -eq 1 ]'

# A title with wide (CJK) characters: the columns line up by display width, not by characters.
mkdir -p "$tmp/profs"
for p in "narrow:A plain title:1.0:2.0" "wide:升级 Linkis 到新版:1.3.2:1.4.0"; do
	IFS=: read -r id title from to <<<"$p"
	printf 'id: %s\ntitle: "%s"\nfrom: "%s"\nto: "%s"\ntarget: x\nsteps:\n  - { id: a, title: A, screen: precautions, items: [ok] }\n' \
		"$id" "$title" "$from" "$to" >"$tmp/profs/$id.yaml"
done
out=$(UPWIZ_PROFILES=$tmp/profs LC_ALL=C.UTF-8 "$bin" list 2>&1)
cols=$(while IFS= read -r l; do printf '%s\n' "${l%%  [0-9]* -> *}" | LC_ALL=C.UTF-8 wc -L; done <<<"$out" | sort -u)
t "list: a CJK title takes two columns a character, the from -> to column still lines up" \
	'[ $(wc -l <<<"$out") -eq 2 ] && ! grep -q invalid <<<"$out" && [ $(wc -l <<<"$cols") -eq 1 ]'

out=$("$bin" run linkis-1.3.2-to-1.4.0 --var DB_PASSWORD=hunter22 --plain 2>&1 </dev/null); rc=$?
t "a secret on the command line is refused (exit 2)" '[ $rc -eq 2 ] && grep -q "secret" <<<"$out"'

out=$("$bin" plan linkis-1.3.2-to-1.4.0 --var LINKIS_HOME=/nonexistent 2>&1); rc=$?
t "plan lists all nine steps" '[ $rc -eq 0 ] && [ $(grep -cE "^ ?[0-9]+\. " <<<"$out") -eq 9 ]'
t "plan shows the start command and the danger option" 'grep -q "linkis-start-all.sh" <<<"$out" && grep -q "DANGER" <<<"$out"'

out=$("$bin" --help); rc=$?
t "--help documents the exit codes" '[ $rc -eq 0 ] && grep -q "3 refused" <<<"$out"'
out=$("$bin" frobnicate 2>&1); rc=$?
t "unknown command exits 2" '[ $rc -eq 2 ]'

# A value that does not fit its variable (type, pattern) stops the run before any step, exit 2
cat > "$tmp/vals.yaml" <<'Y'
id: vals
title: Values
from: "1"
to: "2"
target: "vals ${P}"
vars:
  P: { prompt: "database port", type: port, default: "3306" }
  W: { type: secret, pattern: "^.{8,}$", optional: yes, default: "" }
steps:
  - id: ok
    screen: precautions
    items: [ "read this" ]
Y
printf 'vars: { P: "3306", W: "short" }\nanswers: { ok: yes }\n' > "$tmp/vals-ans.yaml"
out=$(XDG_STATE_HOME=$tmp/st1 timeout 60 "$bin" run "$tmp/vals.yaml" --plain --var P=33o6 </dev/null 2>&1); rc=$?
t "--var P=33o6 for a port: exit 2, the variable, where it came from and what is expected" \
	'[ $rc -eq 2 ] && grep -q "P from --var: \"33o6\": expected a port: a number from 1 to 65535" <<<"$out" && ! grep -q "== \[1/1\]" <<<"$out"'
out=$(XDG_STATE_HOME=$tmp/st2 UPWIZ_VAR_P=70000 timeout 60 "$bin" run "$tmp/vals.yaml" --plain </dev/null 2>&1); rc=$?
t "UPWIZ_VAR_P=70000: exit 2 naming the environment variable" '[ $rc -eq 2 ] && grep -q "P from UPWIZ_VAR_P: \"70000\": expected a port" <<<"$out"'
out=$(XDG_STATE_HOME=$tmp/st3 timeout 60 "$bin" run "$tmp/vals.yaml" --plain --answers "$tmp/vals-ans.yaml" </dev/null 2>&1); rc=$?
t "a secret that does not fit its pattern: exit 2, the value never shown nor written" \
	'[ $rc -eq 2 ] && grep -q "W from the answers file: expected a value matching" <<<"$out" && ! grep -q "short" <<<"$out" && ! grep -rq "short" "$tmp/st3"'
sed -i 's/W: "short"/W: "long enough"/' "$tmp/vals-ans.yaml"
out=$(XDG_STATE_HOME=$tmp/st4 timeout 60 "$bin" run "$tmp/vals.yaml" --plain --answers "$tmp/vals-ans.yaml" </dev/null 2>&1); rc=$?
t "values that fit: the run goes through" '[ $rc -eq 0 ]'
# asked (no default): a value that does not fit is asked again, saying what is expected
sed 's/type: port, default: "3306" }/type: port }/' "$tmp/vals.yaml" >"$tmp/vals2.yaml"
out=$(printf '33o6\n3307\nyes\n' | XDG_STATE_HOME=$tmp/st5 timeout 60 "$bin" run "$tmp/vals2.yaml" --plain 2>&1); rc=$?
t "asked: 33o6 is refused and asked again, 3307 is taken" \
	'[ $rc -eq 0 ] && [ $(grep -c "^?  database port" <<<"$out") -eq 2 ] && grep -q "P: expected a port" <<<"$out" && grep -q "on vals 3307" <<<"$out"'
t "a text question without a default shows no empty [] hint" '! grep -qF "[] >" <<<"$out"'

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
