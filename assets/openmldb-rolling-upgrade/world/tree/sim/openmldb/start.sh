#!/bin/bash
# Simulated OpenMLDB release/bin/start.sh, written from the research notes (shared research,
# "release/bin/start.sh"): the same messages, the same exit codes (0 even when a start fails),
# pid files in bin/<component>.pid. Called by each package's bin/start.sh as
#   start.sh PACKAGE_HOME start|stop|restart COMPONENT
# Cluster state (which component runs, at which version) lives in ROOT/cluster so that the
# simulated ops tool sees what the start/stop calls did:
#   cluster/up/HOST.COMPONENT      exists while it runs; holds the version it runs
#   cluster/fail/start-HOST.COMPONENT   makes the next start fail (as the real script reports it)
set -e
home=$1; shift
cd "$home"
root=$(cd "$home/../../.." && pwd)
host=$(basename "$(dirname "$home")")
COMPONENTS="tablet tablet2 nameserver apiserver taskmanager standalone_tablet standalone_nameserver standalone_apiserver data_collector synctool"
if [ $# -lt 2 ]; then
	echo "Usage: start.sh start/stop/restart <component> [mon]"
	echo "component: [$COMPONENTS]"
	echo "start flag 'mon': if use mon flag, we'll use mon to start the component"
	echo "    stop will kill both the mon and component automatically, don't need to use mon"
	exit 1
fi
OP=$1
COMPONENT=$2
found=0
for c in $COMPONENTS; do [ "$c" = "$COMPONENT" ] && found=1; done
if [ $found -eq 0 ]; then
	echo "No component named $COMPONENT in [$COMPONENTS]"
	exit 1
fi
if [ "$COMPONENT" = taskmanager ]; then
	LOG_DIR=$(grep job.log.path ./conf/taskmanager.properties 2>/dev/null | awk -F '=' '{print $2}' || true)
else
	LOG_DIR=$(grep log_dir ./conf/"$COMPONENT".flags | awk -F '=' '{print $2}' || true)
fi
if [ -z "$LOG_DIR" ]; then
	echo "Invalid log dir"
	exit 1
fi
mkdir -p "$LOG_DIR" "$root/cluster/up"
PID_FILE="./bin/$COMPONENT.pid"
STATE="$root/cluster/up/$host.$COMPONENT"
case $OP in
start)
	echo "Starting $COMPONENT ... "
	if [ -f "$PID_FILE" ] && [ -f "$STATE" ]; then
		echo -e "\033[1;31m$COMPONENT already running as process $(cat "$PID_FILE") \033[0m"
		exit 0
	fi
	if [ -f "$STATE" ]; then
		# the process runs but its pid file is gone (a bin folder replaced without it, or a stop
		# that found no pid file and stopped nothing): the new one cannot bind its port and dies,
		# saying so in its log
		echo "process pid is $$"
		endpoint=$(grep '^--endpoint=' ./conf/"$COMPONENT".flags 2>/dev/null | cut -d= -f2 || true)
		echo "$(date '+%F %T') $COMPONENT: Fail to listen ${endpoint:-its endpoint}: Address already in use" >> "$LOG_DIR/$COMPONENT.log"
		echo "curl server status failed, retry later"
		echo -e "\033[1;31mStart $COMPONENT failed! Please check log in $LOG_DIR/$COMPONENT.log and $LOG_DIR/$COMPONENT.INFO \033[0m"
		exit 0
	fi
	if [ "$COMPONENT" = taskmanager ]; then
		echo "SPARK_HOME: ${SPARK_HOME:-$home/spark}"
		[ -f ./conf/taskmanager.properties ] && echo "Rewrite properties by ./conf/taskmanager.properties"
	fi
	pid=$(( ($$ * 7 + ${#COMPONENT}) % 60000 + 1000 ))
	echo "process pid is $pid"
	version=$(./bin/openmldb --version 2>/dev/null | awk '{print $3}' | cut -d- -f1)
	if [ -f "$root/cluster/fail/start-$host.$COMPONENT" ]; then
		rm -f "$root/cluster/fail/start-$host.$COMPONENT"
		echo "curl server status failed, retry later"
		if [ "$COMPONENT" = taskmanager ]; then
			echo -e "\033[1;31mStart taskmanager failed! Please check log in $LOG_DIR/taskmanager.log and ./taskmanager/bin/logs/taskmanager.log \033[0m"
		else
			echo -e "\033[1;31mStart $COMPONENT failed! Please check log in $LOG_DIR/$COMPONENT.log and $LOG_DIR/$COMPONENT.INFO \033[0m"
		fi
		exit 0
	fi
	[ "$COMPONENT" = taskmanager ] || echo "curl server status failed, retry later"
	echo "$version" > "$STATE"
	echo "$pid" > "$PID_FILE"
	echo "$(date '+%F %T') $COMPONENT $version started" >> "$LOG_DIR/$COMPONENT.log"
	echo "Start $COMPONENT success"
	;;
stop)
	echo "Stopping $COMPONENT ... "
	if [ ! -f "$PID_FILE" ]; then
		echo "no $COMPONENT to stop (could not find file $PID_FILE)"
	else
		rm -f "$PID_FILE" "$STATE"
	fi
	echo "Stop $COMPONENT success"
	;;
restart)
	bash "$0" "$home" stop "$COMPONENT"
	bash "$0" "$home" start "$COMPONENT"
	;;
*)
	echo "Only support {start|stop|restart}" >&2
	;;
esac
