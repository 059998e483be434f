#!/bin/bash
# Simulated Kyligence Enterprise bin/kylin.sh and bin/metastore.sh for the sandbox world.
#   kylin.sh KYLIN_HOME start|stop          the "server" is an `upwiz sim-http` process answering the
#                                           REST API (sim/kylin/routes.yaml), started under the name a
#                                           real instance has in `ps` (java ... -DKYLIN_HOME=... Bootstrap)
#                                           start fails (ClassNotFoundException in logs/kylin.log) when
#                                           kylin.metadata.url is MySQL and no mysql-connector-java jar is
#                                           in lib/ext or tomcat/lib (scenario driver-lost)
#   kylin.sh KYLIN_HOME metastore backup|restore DIR
# Messages follow Apache Kylin's scripts (the base of Kyligence Enterprise).
home=$1; shift
root=$(cd "$(dirname "$0")/../.." && pwd)
port=$(cat "$root/sim/kylin/port")
upwiz=$(cat "$root/sim/kylin/upwiz")
pidfile="$home/pid"
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
case "$1" in
start)
	if running; then
		echo "Kylin is running, stop it first"
		exit 1
	fi
	mkdir -p "$home/logs"
	echo "Retrieving hadoop conf dir..."
	echo "KYLIN_HOME is set to $home"
	# a metadata store in MySQL needs its JDBC driver on the class path (lib/ext or Tomcat's lib)
	driver=
	for j in "$home"/lib/ext/mysql-connector-java-*.jar "$home"/tomcat/lib/mysql-connector-java-*.jar; do
		[ -f "$j" ] && driver=$j
	done
	if [ -z "$driver" ] && grep -q '^kylin.metadata.url=.*jdbc:mysql:' "$home/conf/kylin.properties" 2>/dev/null; then
		{ echo "$(date '+%F %T,000') ERROR [localhost-startStop-1] persistence.JDBCResourceStore:" \
			"Failed to load the JDBC driver of kylin.metadata.url"
		  echo "java.lang.ClassNotFoundException: com.mysql.jdbc.Driver"
		  echo "	at org.apache.catalina.loader.WebappClassLoaderBase.loadClass(WebappClassLoaderBase.java:1892)"
		  echo "$(date '+%F %T,000') ERROR [localhost-startStop-1] context.ContextLoader: Context initialization failed"; } >>"$home/logs/kylin.log"
		echo "ERROR: Kylin failed to start, please check $home/logs/kylin.log"
		exit 1
	fi
	(cd "$home" && exec -a "java -Xms1g -Xmx8g -DKYLIN_HOME=$home -Dkylin.hadoop.conf.dir=$home/hadoop_conf org.apache.catalina.startup.Bootstrap start" \
		"$upwiz" sim-http --port "$port" --routes "$root/sim/kylin/routes.yaml" --pidfile "$pidfile" \
		--log "$home/logs/kylin.log" --detach </dev/null >>"$home/logs/kylin.out" 2>&1 &)
	for _ in $(seq 1 100); do [ -s "$pidfile" ] && break; sleep 0.1; done
	if ! running; then
		echo "ERROR: Kylin failed to start, please check $home/logs/kylin.log"
		exit 1
	fi
	echo "A new Kylin instance is started by $(id -un). To stop it, run 'kylin.sh stop'"
	echo "Check the log at $home/logs/kylin.log"
	echo "Web UI is at http://$(hostname):$port/kylin"
	;;
stop)
	if [ ! -f "$pidfile" ]; then
		echo "Kylin is not running"
		exit 0
	fi
	pid=$(cat "$pidfile")
	echo "Stopping Kylin: $pid"
	kill "$pid" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	rm -f "$pidfile"
	echo "Kylin with pid $pid has been stopped."
	;;
metastore)
	case "$2" in
	backup)
		if [ -f "$root/sim/kylin/fail-backup" ]; then
			echo "ERROR [main] common.KylinConfig: Failed to connect to the metadata store"
			exit 1
		fi
		dir="$home/meta_backups/meta_$(date +%Y_%m_%d_%H_%M_%S)"
		echo "Starting backup to $dir"
		mkdir -p "$dir" && cp -a "$root/metadata/." "$dir/"
		echo "metadata store backed up to $dir"
		;;
	restore)
		[ -d "$3" ] || { echo "ERROR: $3 is not a metadata backup folder"; exit 1; }
		echo "Starting restoring $3"
		rm -rf "$root/metadata" && mkdir -p "$root/metadata" && cp -a "$3/." "$root/metadata/"
		echo "metadata store restored from $3"
		;;
	*) echo "usage: metastore.sh backup | restore PATH_TO_LOCAL_META"; exit 1 ;;
	esac
	;;
*) echo "Usage: 'kylin.sh start' or 'kylin.sh stop'"; exit 1 ;;
esac
