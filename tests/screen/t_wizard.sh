#!/bin/bash
# t_wizard.sh: the real thing. `upwiz sandbox linkis-1.3.2-to-1.4.0` full screen in tmux at 80x24,
# answered from the keyboard like an operator would: through all nine screens and the summary,
# with a detach and re-attach in the middle, a look at help and at an earlier step, resizes to
# 100x30 and 60x20 (the too-small overlay) and back, and q on the summary.
#
# The driver reads the screen and answers what it is asked (the key bar says which kind of
# question is open), so it follows the engine's questions without hard-coding their order;
# what it checks is that each of the nine steps was shown and done, and what the UI sent.
. "$(dirname "$0")/lib.sh"

"$UPWIZ_BIN" --help 2>&1 | grep -q "sandbox PROFILE" || skip "engine not yet available"
command -v mariadbd >/dev/null 2>&1 || command -v mysqld >/dev/null 2>&1 ||
	[ -x /usr/sbin/mariadbd ] || [ -x /usr/sbin/mysqld ] || skip "no mariadbd for the sandbox world"

# The engine outlives its UI by design. Whatever way this test ends, ask every engine it started
# to abort (through its socket, as a client would) so no sandbox world is left running.
stop_engines_on_exit 20

start_ui "" "sandbox linkis-1.3.2-to-1.4.0"
i=0
while ! cap | grep -qF "1/9 Precautions"; do
	if cap | grep -q "UPWIZ-EXIT="; then
		cap
		skip "the sandbox did not start (see the screen above)"
	fi
	((i++ > 1200)) && fail "the sandbox run did not reach the first step in 120 s"
	sleep 0.1
done

# After an answer: wait until the question is gone (the engine acknowledged it) so the next
# look at the screen does not answer the same question twice.
settle() {
	local before=$1 i
	for ((i = 0; i < 100; i++)); do
		local now
		now=$(cap)
		[ "$(sed -n 2p <<<"$now" | cut -c1-60)" != "$(sed -n 2p <<<"$before" | cut -c1-60)" ] && return 0
		grep -qF "sent" <<<"$now" || { [ "$(tail -n 1 <<<"$now")" != "$(tail -n 1 <<<"$before")" ] && return 0; }
		sleep 0.1
	done
}

seen=()
retries=0
detached=0
reviewed=0
deadline=$((SECONDS + 300))
while :; do
	((SECONDS > deadline)) && fail "the run did not finish within 300 s"
	screen=$(cap)
	if grep -qF "UPWIZ-EXIT=" <<<"$screen"; then
		fail "the UI left before the summary"
	fi
	if grep -qF "finished successfully" <<<"$screen"; then
		break
	fi
	title=$(sed -n '2p' <<<"$screen" | sed -E 's/^[^│]*│ //' | grep -oE '^[0-9]/9 [A-Za-z].*' |
		sed -E 's/ +(running|waiting|done|failed|skipped|not started).*//; s/ +$//')
	[ -n "$title" ] && [[ " ${seen[*]} " != *" ${title%% *} "* ]] && seen+=("${title%% *}")
	bar=$(tail -n 1 <<<"$screen")
	if grep -qF "Watching" <<<"$screen"; then
		fail "the controlling session was shown as a watcher"
	elif grep -qF "Do you want to clear Linkis table" <<<"$screen" && grep -qF "Enter Choose" <<<"$bar"; then
		key 1
		settle "$screen"
	elif [[ $bar == *"Enter Continue"* ]]; then
		if [[ $title == 5/9* && $detached == 0 ]]; then
			# Detach at the point of no return, come back, and carry on.
			key d
			wait_for "Re-attach with: upwiz attach"
			run=$(cap | grep -oE 'upwiz attach [0-9a-f-]+' | head -1 | awk '{print $3}')
			start_ui "" "attach $run"
			wait_for "Steps "
			wait_for "/9 "
			detached=1
			continue
		fi
		if [[ $title == [4-9]/9* && $reviewed == 0 ]]; then
			key F1
			wait_for "Help: "
			key Escape
			key Escape
			wait_for "REVIEW"
			key Enter
			wait_gone "REVIEW"
			reviewed=1
			continue
		fi
		key Enter
		settle "$screen"
	elif [[ $bar == *"Enter Choose"* ]]; then
		key Enter      # the default (never a dangerous option)
		settle "$screen"
	elif [[ $bar == *"Enter Confirm"* ]]; then
		want=$(grep -oE 'Type .* exactly to confirm' <<<"$screen" | sed -E 's/^Type (.*) exactly to confirm$/\1/')
		[ -n "$want" ] || fail "a confirmation without the text to type"
		typed "$want"
		key Enter
	elif [[ $bar == *"Enter Send"* ]]; then
		key Enter
	elif [[ $bar == *"r Retry"* ]]; then
		((retries++ >= 3)) && fail "a step keeps failing"
		sleep 1
		key r
	elif [[ $bar == *"y Resume"* ]]; then
		key y
	fi
	sleep 0.3
done

shows "Steps 9/9 done"
for n in 1 2 3 4 5 6 7 8 9; do
	[[ " ${seen[*]} " == *" $n/9 "* ]] || fail "screen $n/9 was never shown (seen: ${seen[*]})"
done
((detached)) || fail "never detached and re-attached"
check_columns 80
resize 100 30
wait_for "upwiz │"
check_columns 100
resize 60 20
wait_for "terminal too small: 60x20, need 80x24"
resize 80 24
wait_for "finished successfully"
key q
wait_for "UPWIZ-EXIT=0"
sanitizer_reports
echo "ok: screens ${seen[*]} and the summary"
