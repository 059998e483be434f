#!/usr/bin/env bash
# kill -9 the engine at 20 random moments of the Linkis SQL apply and resume each time: the final
# database must equal an uninterrupted run's (every column definition and every row, AUTO_INCREMENT
# counters included, server times masked).
#
# The moments come from the fault seam (core/util.h): UPWIZ_FAULT=SITE:N:kill makes the engine
# SIGKILL itself at the Nth statement it handles, at one of three points: stmt_begin (journaled
# as begun, not sent), stmt_sent (the server applied it, not journaled as done), stmt_done
# (its done record made, held to go out with the next statement's begin: lost with the engine,
# so the resume checks that statement too). A seeded RNG picks SITE and N; the seed is printed (UPWIZ_TEST_SEED=... replays it).
# The resumed run tells the operator what the check found (in its event stream, which a UI shows and
# `upwiz attach` replays; the terminal of a run killed right after may miss the last events).
# After a stmt_sent kill the resumed run must find the statement applied (or safe to send again),
# after a stmt_begin kill not applied (or safe to send again): the check is exact, never a guess.
# When a chain of kills reaches the end of the apply, the database is compared and restored to
# 1.3.2 and a new chain starts, until 20 kills have happened.
. "$(dirname "$0")/lib.sh"
SEED=${UPWIZ_TEST_SEED:-$(( $(date +%s) % 100000 ))}
echo "seed: $SEED (replay with UPWIZ_TEST_SEED=$SEED)"
RANDOM=$SEED
start=$(date +%s)

sf_apply_setup

# The uninterrupted reference.
sf_run --answers "$T/a.yaml" > "$T/ref.out" 2>&1
t "the uninterrupted run applies the SQL" 'applied_all'
t "the uninterrupted run sends each statement once" 'exactly_once'
sf_dump "$T/ref.txt"
t "the reference has the 1.4.0 columns" 'grep -q "ticketId" "$T/ref.txt"'
sf_restore "$T/base.sql"
sf_san
rm -rf "$T/state"

kills=0 chains=0 runs=0 bad_checks=0 mismatch=0 last_site=
while [ $kills -lt 20 ] && [ $runs -lt 80 ]; do
	sites=(stmt_begin stmt_sent stmt_done)
	site=${sites[$((RANDOM % 3))]}
	n=$((1 + RANDOM % 3))
	UPWIZ_FAULT=$site:$n:kill sf_run --answers "$T/a.yaml" > "$T/run.out" 2>&1
	runs=$((runs+1))
	run=$(sf_last_run)
	# What the resumed run found for the statement the previous kill left in flight.
	if [ -n "$last_site" ] && [ "$last_site" != stmt_done ]; then
		found=$(grep -v adopted_from "$run/journal.jsonl" | grep -oE '"t":"stmt_checked"[^}]*"found":"[^"]*"' | head -1 | grep -oE '"found":"[^"]*"')
		case "$last_site:$found" in
		stmt_sent:'"found":"applied"'|stmt_sent:'"found":"safe to send again"') ;;
		stmt_begin:'"found":"not applied"'|stmt_begin:'"found":"safe to send again"') ;;
		*) echo "wrong check after a kill at $last_site: ${found:-no check at all}"; bad_checks=$((bad_checks+1)) ;;
		esac
		grep -q "checked the database before anything else" "$run/events.jsonl" || { echo "the operator was not told what the check found (after $last_site)"; grep -E "WARN|resum" "$T/run.out" | head -5; bad_checks=$((bad_checks+1)); }
	fi
	if ! grep -q '"t":"finished"' "$run/journal.jsonl"; then
		kills=$((kills+1))
		echo "kill $kills: $site:$n in run $(basename "$run") ($(grep -c '"t":"stmt_done"' "$run/journal.jsonl") done records)"
		if [ $kills -eq 1 ] || [ "$site" = stmt_sent ] && [ -z "${plan_checked:-}" ]; then
			# upwiz plan on the interrupted run: what is done, what remains, the statement in flight
			plan=$(XDG_STATE_HOME=$T/state "$bin" plan linkis-1.3.2-to-1.4.0 --var LINKIS_HOME="$ROOT/linkis" --var DB_HOST=localhost \
				--var DB_SOCKET="$SOCK" --var DB_PORT=3306 --var DB_USER=linkis --var DB_NAME=linkis 2>&1)
			ndone=$(grep -cE '^ +(done|already there|already applied) ' <<<"$plan")
			t "plan names the interrupted run" 'grep -q "Interrupted run $(basename "$run")" <<<"$plan"'
			t "plan marks the finished steps" 'grep -qE "^ 4\. backup .*-- done" <<<"$plan" && grep -qE "^ 5\. sql-apply .*-- interrupted" <<<"$plan"'
			t "plan counts done and remaining statements ($ndone done)" 'grep -qE "SQL statements: $ndone done, $((NSTMT - ndone)) remain" <<<"$plan"'
			grep -qE "SQL statements: $ndone done" <<<"$plan" || { echo "$plan" | grep -E "^ +[a-zA-Z ]+ +[0-9]+  line|SQL statements|^ *[0-9]\." | head -40; }
			[ "$site" = stmt_sent ] && { plan_checked=1; t "plan shows the statement in flight" 'grep -qE "^ +in flight " <<<"$plan"'; }
			[ "$site" = stmt_sent ] || grep -qE "^ +TODO " <<<"$plan" || { echo "plan shows no TODO"; bad_checks=$((bad_checks+1)); }
		fi
		# a stmt_done kill right after the last statement also leaves nothing in flight
		last_site=$site
		[ "$site" != stmt_done ] && ! tail -1 "$run/journal.jsonl" | grep -q '"t":"stmt_begin"' && last_site=stmt_done
		continue
	fi
	last_site=
	# The chain reached the end of the apply (the fault was beyond the last statement).
	chains=$((chains+1))
	if applied_all && exactly_once; then
		sf_dump "$T/got.txt"
		if ! cmp -s "$T/ref.txt" "$T/got.txt"; then
			echo "chain $chains: the database differs from the uninterrupted run's:"
			diff "$T/ref.txt" "$T/got.txt" | head -20
			mismatch=$((mismatch+1))
		fi
	else
		echo "chain $chains did not end with every statement applied once:"; tail -15 "$T/run.out"; mismatch=$((mismatch+1))
	fi
	sf_restore "$T/base.sql"
	sf_san
	rm -rf "$T/state"
done
t "20 kills happened (in $runs runs, $chains chains completed)" '[ $kills -eq 20 ]'
# The last chain: resume with no fault.
sf_run --answers "$T/a.yaml" > "$T/run.out" 2>&1
t "the last resume completes the apply" 'applied_all'
t "each statement applied exactly once over the last chain" 'exactly_once'
sf_dump "$T/got.txt"
t "the final database equals the uninterrupted run's" 'cmp -s "$T/ref.txt" "$T/got.txt" || { diff "$T/ref.txt" "$T/got.txt" | head -20; false; }'
t "every chain that completed matched too" '[ $mismatch -eq 0 ]'
t "every in-flight statement was checked and the check was right" '[ $bad_checks -eq 0 ]'
t "the resumed runs said they resumed" 'grep -q "resuming run" "$T/run.out"'
sf_san
t "no sanitizer report from any engine" '[ $SF_SAN -eq 0 ]'
echo "took $(( $(date +%s) - start )) s (seed $SEED)"
sf_end
