#!/bin/sh
#
# common.sh: helpers sourced by the other sbin scripts (after Linkis 1.4.0's sbin/common.sh).
#
# Sandbox world: this is a simulation. Everything runs on this machine (local_host is
# 127.0.0.1, no ssh), the "java" services are `upwiz sim-http` processes, and the waits the
# real scripts make (sleep 2/3/15/20) are scaled down by LINKIS_SIM_TIME_SCALE while their
# messages are printed as the real scripts print them. Written for POSIX sh (dash): the real
# scripts are invoked as `sh linkis-start-all.sh` too.
#

export local_host="127.0.0.1"

## color
RED='\033[0;31m'
NC='\033[0m' # No Color
GREEN='\033[0;32m'

isLocal() {
    case "$1" in
        127.0.0.1|""|localhost|"$local_host") return 0 ;;
    esac
    return 1
}

executeCMD() {
    if isLocal "$1"; then
        echo "Is local execution:$2"
        eval "$2"
    else
        echo "Is remote execution:$2"
        echo "ssh: Could not resolve hostname $1: Name or service not known" >&2
        return 255
    fi
}

isSuccess() {
    if [ $? -ne 0 ]; then
        printf "${RED}Failed${NC} to %s\n" "$1"
        echo ""
        exit 1
    else
        printf "${GREEN}Succeed${NC} to %s\n" "$1"
        echo ""
    fi
}

# ---- simulation helpers (not in the real common.sh)

# sim_sleep SECONDS: the real wait, scaled: LINKIS_SIM_TIME_SCALE is per mille (20 by default:
# "sleep 15" takes 0.3 s). Shell arithmetic only: a fork costs more than the wait on some hosts.
sim_sleep() {
    _ms=$(( $1 * ${LINKIS_SIM_TIME_SCALE:-20} ))
    _f=$(( _ms % 1000 ))
    if [ $_f -lt 10 ]; then _f="00$_f"; elif [ $_f -lt 100 ]; then _f="0$_f"; fi
    sleep "$(( _ms / 1000 )).$_f"
}

# sim_pid_alive PID: true while the process runs. A zombie (exited, not yet reaped: the
# services are orphans, and some inits reap slowly) counts as dead, unlike with kill -0.
sim_pid_alive() {
    [ -n "$1" ] || return 1
    if [ -r "/proc/$1/stat" ]; then
        read -r _stat < "/proc/$1/stat" 2>/dev/null || return 1
        _stat=${_stat##*) }
        case "${_stat%% *}" in
            Z|X|x) return 1 ;;
        esac
        return 0
    fi
    kill -0 "$1" 2>/dev/null
}

# sim_alive PIDFILE: true when the file names a live process.
sim_alive() {
    [ -f "$1" ] || return 1
    _pid=""
    read -r _pid < "$1" 2>/dev/null
    sim_pid_alive "$_pid"
}

# sim_mysql ARGS...: the mariadb/mysql client with conf/db.sh's account. The password goes
# through a 0600 option file under conf/ that is removed right after (never on argv).
sim_mysql() {
    . "$LINKIS_HOME/conf/db.sh"
    _client=$(command -v mysql || command -v mariadb)
    if [ -z "$_client" ]; then
        echo "sim_mysql: no mysql client found" >&2
        return 127
    fi
    _cnf=$(umask 077 && mktemp "$LINKIS_HOME/conf/.sim-client.cnf.XXXXXX") || return 1
    {
        echo "[client]"
        echo "user=$MYSQL_USER"
        echo "password=$MYSQL_PASSWORD"
        if [ -n "$MYSQL_SOCKET" ]; then
            echo "socket=$MYSQL_SOCKET"
        else
            echo "host=$MYSQL_HOST"
            echo "port=$MYSQL_PORT"
        fi
    } > "$_cnf"
    "$_client" --defaults-file="$_cnf" --default-character-set=utf8 "$MYSQL_DB" "$@"
    _rc=$?
    rm -f "$_cnf"
    return $_rc
}

# sim_registry_refresh: rewrites what the simulated Eureka answers (JSON for
# Accept: application/json, XML otherwise, and the dashboard page) from the pid files: a
# service is registered while its process lives; a stopped one has cancelled its lease.
sim_registry_refresh() {
    _state="$LINKIS_SIM_DIR/state"
    [ -d "$_state" ] || mkdir -p "$_state" || return 1
    _piddir="${LINKIS_PID_DIR:-$LINKIS_HOME/pid}"
    _now="$(date +%s)000"
    _up=0
    _json="$_state/.eureka-apps.json.$$"
    _xml="$_state/.eureka-apps.xml.$$"
    _html="$_state/.eureka-home.html.$$"
    _apps=""
    _rows=""
    _xapps=""
    for _entry in "cg-engineconnmanager LINKIS-CG-ENGINECONNMANAGER $ENGINECONNMANAGER_PORT" \
                  "cg-entrance LINKIS-CG-ENTRANCE $ENTRANCE_PORT" \
                  "cg-linkismanager LINKIS-CG-LINKISMANAGER $MANAGER_PORT" \
                  "mg-eureka LINKIS-MG-EUREKA $EUREKA_PORT" \
                  "mg-gateway LINKIS-MG-GATEWAY $GATEWAY_PORT" \
                  "ps-publicservice LINKIS-PS-PUBLICSERVICE $PUBLICSERVICE_PORT"; do
        _short=${_entry%% *}
        _port=${_entry##* }
        _app=${_entry#* }
        _app=${_app% *}
        sim_alive "$_piddir/linkis_$_short.pid" || continue
        _up=$((_up + 1))
        _svc="linkis-$_short"
        _inst="{\"instanceId\":\"127.0.0.1:$_svc:$_port\",\"hostName\":\"127.0.0.1\",\"app\":\"$_app\",\"ipAddr\":\"127.0.0.1\",\"status\":\"UP\",\"overriddenStatus\":\"UNKNOWN\",\"port\":{\"\$\":$_port,\"@enabled\":\"true\"},\"securePort\":{\"\$\":443,\"@enabled\":\"false\"},\"countryId\":1,\"dataCenterInfo\":{\"@class\":\"com.netflix.appinfo.InstanceInfo\$DefaultDataCenterInfo\",\"name\":\"MyOwn\"},\"leaseInfo\":{\"renewalIntervalInSecs\":30,\"durationInSecs\":90,\"registrationTimestamp\":$_now,\"lastRenewalTimestamp\":$_now,\"evictionTimestamp\":0,\"serviceUpTimestamp\":$_now},\"metadata\":{\"linkis.conf.version\":\"v1\",\"management.port\":\"$_port\"},\"homePageUrl\":\"http://127.0.0.1:$_port/\",\"statusPageUrl\":\"http://127.0.0.1:$_port/actuator/info\",\"healthCheckUrl\":\"http://127.0.0.1:$_port/actuator/health\",\"vipAddress\":\"$_svc\",\"secureVipAddress\":\"$_svc\",\"isCoordinatingDiscoveryServer\":\"false\",\"lastUpdatedTimestamp\":\"$_now\",\"lastDirtyTimestamp\":\"$_now\",\"actionType\":\"ADDED\"}"
        _apps="$_apps${_apps:+,}{\"name\":\"$_app\",\"instance\":[$_inst]}"
        _xapps="$_xapps<application><name>$_app</name><instance><instanceId>127.0.0.1:$_svc:$_port</instanceId><hostName>127.0.0.1</hostName><app>$_app</app><ipAddr>127.0.0.1</ipAddr><status>UP</status><overriddenstatus>UNKNOWN</overriddenstatus><port enabled=\"true\">$_port</port><vipAddress>$_svc</vipAddress></instance></application>"
        _rows="$_rows<tr><td><b>$_app</b></td><td>n/a (1)</td><td>(1)</td><td>UP (1) - <a href=\"http://127.0.0.1:$_port/actuator/info\">127.0.0.1:$_svc:$_port</a></td></tr>"
    done
    _hash=""
    [ "$_up" -gt 0 ] && _hash="UP_${_up}_"
    printf '{"applications":{"versions__delta":"1","apps__hashcode":"%s","application":[%s]}}\n' "$_hash" "$_apps" > "$_json"
    printf '<applications>\n  <versions__delta>1</versions__delta>\n  <apps__hashcode>%s</apps__hashcode>\n  %s\n</applications>\n' "$_hash" "$_xapps" > "$_xml"
    printf '<!doctype html>\n<html><head><title>Eureka</title></head><body>\n<h1>Instances currently registered with Eureka</h1>\n<table><thead><tr><th>Application</th><th>AMIs</th><th>Availability Zones</th><th>Status</th></tr></thead><tbody>%s</tbody></table>\n</body></html>\n' "${_rows:-<tr><td colspan=\"4\">No instances available</td></tr>}" > "$_html"
    mv -f "$_json" "$_state/eureka-apps.json"
    mv -f "$_xml" "$_state/eureka-apps.xml"
    mv -f "$_html" "$_state/eureka-home.html"
}
