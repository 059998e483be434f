#!/usr/bin/env bash
# Kyligence Enterprise 3.x scenarios: --list-scenarios, then each scenario unattended
# (--plain --golden) to its expected outcome, with the trainee's report asserted
# (tests/sandbox/lib.sh) and the fault shown to be the one met. This world has no database.
set -u
profile=kyligence-enterprise-3
. "$(dirname "$0")/lib.sh"

ev() { grep -qF -- "$1" "$run/events.jsonl"; }
step_state() { grep -q "\"t\":\"step\",\"id\":\"$1\",\"state\":\"$2\"" "$run/events.jsonl"; }

check_list process-left hdfs-no-room driver-lost

# 1. the pid file was deleted: kylin.sh stop says "not running", ps finds the instance
run_scenario process-left 1
run=$(last_run)
t "process-left: kylin.sh stop said it was not running" 'grep -q "out   \[stop\] Kylin is not running" "$run/run.log" && step_state stop done'
t "process-left: the stopped step failed on the 3.3.1 java process" \
	'step_state stopped failed && grep -qE "No Kyligence Enterprise process left\",\"status\":\"fail\",\"detail\":\"1 process still running: [0-9]+ java [^\"]*-DKYLIN_HOME=[^\" ]*/sandbox/opt/kylin\"" "$run/events.jsonl"'
t "process-left: nothing after it ran (no backup, no upgrade.sh)" '! step_state backup-metadata running && ! grep -q "upgrade.sh" "$run/run.log"'

# 2. 36 G of segments (108 G with replicas), 64 G free on HDFS
run_scenario hdfs-no-room 1
run=$(last_run)
t "hdfs-no-room: the sizes were read from hdfs dfs -df / -du" \
	'ev "HDFS free space (hdfs dfs -df -h /)\",\"status\":\"pass\",\"detail\":\"64.0 G\"" && ev "with replicas (hdfs dfs -du -s -h)\",\"status\":\"pass\",\"detail\":\"108.0 G\""'
t "hdfs-no-room: the hdfs-space step failed on the comparison" \
	'step_state hdfs-space failed && ev "Enough room for the copy\",\"status\":\"fail\",\"detail\":\"64.0 G >= 108.0 G: no\""'
t "hdfs-no-room: the metadata backup was taken, distcp never ran" \
	'step_state backup-metadata done && ! step_state backup-hdfs running && ! grep -q "hadoop distcp" "$run/run.log"'

# 3. the MySQL driver of the metastore lived in the old tomcat/lib: 3.4.5 does not start
run_scenario driver-lost 1
run=$(last_run)
t "driver-lost: upgrade.sh finished, then the start step failed" \
	'step_state upgrade done && step_state start failed && grep -q "out   \[start\] ERROR: Kylin failed to start, please check .*/opt/kylin/logs/kylin.log" "$run/run.log"'
t "driver-lost: verify was never reached" '! step_state verify running'
t "driver-lost: the start step's failure is said once, before its question, not again at the abort" \
	'[ $(grep -c "\"t\":\"step\",\"id\":\"start\",\"state\":\"failed\"" "$run/events.jsonl") -eq 1 ] && grep -q "\"qid\":\"start.failed\",\"value\":\"abort\"" "$run/journal.jsonl"'

# the same, kept: the world as the trainee finds it, and the differs' fix and roll-back work in it
out=$(timeout 300 "$bin" sandbox "$profile" --plain --golden --scenario driver-lost --keep </dev/null 2>&1); rc=$?
run=$(last_run)
for i in $(seq 1 300); do [ ! -e "$run/engine.sock" ] && break; sleep 0.2; done
root="$run/sandbox"; home="$root/opt/kylin"
tarball=$(ls "$root"/opt/kylin_[0-9]*.tar.gz 2>/dev/null | head -1)
t "driver-lost kept: exit 1, the world left" '[ $rc -eq 1 ] && [ -d "$home" ]'
t "driver-lost kept: upgrade.sh installed 3.4.5 in KYLIN_HOME" 'grep -q 3.4.5 "$home/VERSION"'
t "driver-lost kept: kylin.log says why (ClassNotFoundException com.mysql.jdbc.Driver)" \
	'grep -q "java.lang.ClassNotFoundException: com.mysql.jdbc.Driver" "$home/logs/kylin.log"'
t "driver-lost kept: the driver is in neither lib/ext nor tomcat/lib of 3.4.5" \
	'! ls "$home"/lib/ext/mysql-connector-java-* >/dev/null 2>&1 && ! ls "$home"/tomcat/lib/mysql-connector-java-* >/dev/null 2>&1'
t "driver-lost kept: the old home's tarball still has it in tomcat/lib" \
	'[ -n "$tarball" ] && tar -tzf "$tarball" | grep -qx "kylin/tomcat/lib/mysql-connector-java-5.1.47.jar"'
# the fix a perfect trainee makes: the driver from the tarball into lib/ext, start again
s=
if tar -zxOf "$tarball" kylin/tomcat/lib/mysql-connector-java-5.1.47.jar >"$home/lib/ext/mysql-connector-java-5.1.47.jar" 2>/dev/null; then
	s=$(bash "$home/bin/kylin.sh" start 2>&1)
else
	rm -f "$home/lib/ext/mysql-connector-java-5.1.47.jar"
fi
t "driver-lost kept: with the driver in lib/ext 3.4.5 starts" 'grep -q "A new Kylin instance is started" <<<"$s" && grep -q 3.4.5 "$home/VERSION"'
bash "$home/bin/kylin.sh" stop >/dev/null 2>&1
# the guide's roll-back: stop, restore the install folder from the tarball, metastore.sh restore, start
meta=$(ls -d "$root"/backups/meta_* 2>/dev/null | head -1)
s=$(cd "$root/opt" && rm -rf "$home" && tar -zxf "$tarball" && bash "$home/bin/metastore.sh" restore "$meta" && bash "$home/bin/kylin.sh" start 2>&1)
t "driver-lost kept: the guide's roll-back brings 3.3.1 back up" \
	'[ -n "$meta" ] && grep -q "metadata store restored from" <<<"$s" && grep -q "A new Kylin instance is started" <<<"$s" && grep -q 3.3.1 "$home/VERSION"'
[ -x "$home/bin/kylin.sh" ] && bash "$home/bin/kylin.sh" stop >/dev/null 2>&1
finish
