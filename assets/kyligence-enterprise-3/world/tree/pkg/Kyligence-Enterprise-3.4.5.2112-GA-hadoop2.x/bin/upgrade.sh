#!/bin/bash
# Simulated Kyligence Enterprise bin/upgrade.sh (sandbox world). Behaviour as the vendor's
# script has it: refuses to run while the old instance's pid is alive; asks "(y/n) > " before
# copying the LICENSE, each conf file, each ext jar, each folder only the old home has, and
# before installing (an empty answer means yes); the install tars the old home into
# <parent>/<name>_<yyyymmddHHMM>.tar.gz, removes it and renames the unpacked folder to it;
# --silent answers every question with yes. Log in <new home>/logs/upgrade-<date>.log.
usage() {
	echo "Usage: upgrade.sh <OLD_KYLIN_HOME> [--silent]"
	echo
	echo "<OLD_KYLIN_HOME>    Specify the old version of the Kyligence Enterprise"
	echo "                    installation directory."
	echo
	echo "--silent            Optional, don't enter interactive mode, automatically complete the upgrade."
	exit 1
}
green() { echo -e "\033[32m$*\033[0m"; }
yellow() { echo -e "\033[33m$*\033[0m"; }
red() { echo -e "\033[31m$*\033[0m"; }
note() { echo "$(date '+%F %H:%M:%S') $*" >> "$log"; }
failed() { red "...................................................[FAIL]"; red "Upgrade Kyligence Enterprise failed."; exit 1; }
ask() {
	[ "$silent" = 1 ] && return 0
	read -r -p "$* (y/n) > " reply
	[ -z "$reply" ] || [ "$reply" = y ]
}
new_home=$(cd "$(dirname "$0")/.." && pwd -P)
silent=0
old_home=
for a in "$@"; do
	if [ "$a" = --silent ]; then silent=1; else old_home=$(cd "$a" 2>/dev/null && pwd); fi
done
[ -n "$old_home" ] && [ -d "$old_home" ] || usage
if [ "$old_home" = "$new_home" ]; then
	red "Please specify the old version of the Kyligence Enterprise installation directory."
	usage
fi
mkdir -p "$new_home/logs"
log="$new_home/logs/upgrade-$(date '+%Y_%m_%d_%H_%M_%S').log"
if [ -f "$old_home/pid" ] && kill -0 "$(cat "$old_home/pid")" 2>/dev/null; then
	red "Please stop the Kyligence Enterprise during the upgrade process."
	exit 1
fi
from=$(awk '{print $NF}' "$old_home/VERSION")
to=$(awk '{print $NF}' "$new_home/VERSION")
echo
yellow "Upgrade Kyligence Enterprise from $from to $to"; note "Upgrade from $from to $to"
yellow "Old KYLIN_HOME is $old_home, log is at $log"
echo
echo "Copy LICENSE"
if [ -f "$old_home/LICENSE" ] && ask "'$old_home/LICENSE' -> '$new_home/'"; then
	cp -vf "$old_home/LICENSE" "$new_home/" >> "$log" || failed
fi
green "...................................................[DONE]"
echo "Copy Kylin Conf"
for f in $(ls "$old_home/conf"); do
	if ask "'$old_home/conf/$f' -> '$new_home/conf/'"; then
		cp -rfv "$old_home/conf/$f" "$new_home/conf/" >> "$log" || failed
	fi
done
green "...................................................[DONE]"
echo "Copy Ext Jars"
for f in $(ls "$old_home/lib/ext"); do
	if ask "'$old_home/lib/ext/$f' -> '$new_home/lib/ext/'"; then
		cp -vf "$old_home/lib/ext/$f" "$new_home/lib/ext/" >> "$log" || failed
	fi
done
green "...................................................[DONE]"
echo "Copy Customize Directory"
for f in $(ls "$old_home"); do
	case "$f" in meta_backups|appid|work|pid) continue ;; esac
	[ -e "$new_home/$f" ] && continue
	if ask "'$old_home/$f' -> '$new_home/'"; then
		cp -rfv "$old_home/$f" "$new_home/" >> "$log" || failed
	fi
done
green "...................................................[DONE]"
echo "Checking Kylin Conf"
grep -hE '^(kylin|kap)\.' "$new_home/conf/kylin.properties" "$new_home/conf/kylin.properties.override" 2>/dev/null | sed "s/^\(.*\)=\(.*\)$/('\1', '\2')/"
green "...................................................[DONE]"
echo "Install"
if ask "'$new_home' -> '$old_home'"; then
	parent=$(dirname "$old_home"); name=$(basename "$old_home")
	stamp=$(date '+%Y%m%d%H%M')
	(cd "$parent" && tar -zcvf "${name}_${stamp}.tar.gz" "$name" >> "$log") || failed
	rm -rf "$old_home" >> "$log" || failed
	mv -f "$new_home" "$old_home" >> "$log" || failed
	green "...................................................[DONE]"
else
	yellow "...................................................[SKIP]"
fi
green "Upgrade finished!"
