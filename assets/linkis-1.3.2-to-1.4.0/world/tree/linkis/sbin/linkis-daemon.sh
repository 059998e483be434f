#!/bin/sh
#
# description:  Starts and stops Server (after Linkis 1.4.0's sbin/linkis-daemon.sh)
#
# Sandbox world: same commands, messages, pid files (pid/linkis_<short>.pid) and logs
# (logs/linkis-<short>.log and .out) as the real script; each service is an `upwiz sim-http`
# process started by sbin/ext/linkis-common-start. Waits are scaled (see common.sh).
#

cd "$(dirname "$0")" || exit 1
cd ..
INSTALL_HOME=$(pwd)

print_usage() {
  echo "Usage: linkis-daemon [start | stop | restart | status] [serverName]"
  echo " serverName            The service name of the operation"
  echo "Most commands print help when invoked w/o parameters."
}

if [ $# != 2 ]; then
  print_usage
  exit 2
fi

# set LINKIS_HOME
if [ "$LINKIS_HOME" = "" ]; then
  export LINKIS_HOME=$INSTALL_HOME
fi

# set LINKIS_CONF_DIR
if [ "$LINKIS_CONF_DIR" = "" ]; then
  export LINKIS_CONF_DIR=$LINKIS_HOME/conf
fi

. "$LINKIS_HOME/sbin/common.sh"
. "$LINKIS_CONF_DIR/linkis-env.sh"
export LINKIS_SIM_BIN LINKIS_SIM_DIR LINKIS_SIM_TIME_SCALE

# get pid directory
if [ "$LINKIS_PID_DIR" = "" ]; then
  export LINKIS_PID_DIR="$LINKIS_HOME/pid"
fi
if [ ! -w "$LINKIS_PID_DIR" ] ; then
  mkdir -p "$LINKIS_PID_DIR"
fi

start()
{
  echo "Start to check whether the $SERVER_NAME is running"
  if sim_alive "${SERVER_PID}"; then
      echo "$SERVER_NAME is already running."
      exit 1
  fi
  export SERVER_START_BIN=$LINKIS_HOME/sbin/ext/linkis-$SERVER_NAME
  if [ ! -f "${SERVER_START_BIN}" ]; then
      echo "The $SERVER_NAME is wrong or the corresponding startup script does not exist: "
      echo "$SERVER_START_BIN"
      exit 1
  else
      echo "Start server, startup script:  $SERVER_START_BIN"
      export SERVER_NAME=linkis-$SERVER_NAME
      sh "$SERVER_START_BIN"
  fi
}

wait_for_server_to_die() {
  pid=$1
  tries=$2
  forceKill=1
  while [ "$tries" -gt 0 ]; do
    kill "${pid}" > /dev/null 2>&1
    if sim_pid_alive "${pid}"; then
      sim_sleep 3
    else
      forceKill=0
      break
    fi
    tries=$((tries - 1))
  done

  if [ $forceKill -ne 0 ]; then
    kill -9 "${pid}" > /dev/null 2>&1
  fi
}

stop()
{
  if [ ! -f "${SERVER_PID}" ]; then
      echo "server $SERVER_NAME is not running"
  else
      pid=""
      read -r pid < "${SERVER_PID}"
      if [ -z "${pid}" ]; then
        echo "server $SERVER_NAME is not running"
      else
        wait_for_server_to_die "$pid" 14
        rm -f "${SERVER_PID}"
        echo "server $SERVER_NAME is stopped."
      fi
  fi
  sim_registry_refresh
}

restart()
{
    stop
    sim_sleep 2
    start
}

status()
{
  sim_registry_refresh
  if [ ! -f "${SERVER_PID}" ]; then
      echo "server $SERVER_NAME is stopped"
      exit 1
  else
      pid=""
      read -r pid < "${SERVER_PID}"
      if [ -z "${pid}" ]; then
        echo "server $SERVER_NAME is not running"
        exit 1
      fi
      if ! sim_pid_alive "${pid}"; then
        echo "server $SERVER_NAME is not running"
        exit 1
      fi
      echo "${pid}"
      echo "server $SERVER_NAME is running."
  fi
}

COMMAND=$1
export SERVER_NAME=$2
case $SERVER_NAME in
  "cg-engineconnmanager"|"linkis-cg-engineconnmanager"|"engineconnmanager")
    export SERVER_NAME="cg-engineconnmanager"
    ;;
  "cg-engineplugin"|"linkis-cg-engineplugin"|"engineplugin")
    export SERVER_NAME="cg-engineplugin"
    ;;
  "cg-entrance"|"linkis-cg-entrance"|"entrance")
    export SERVER_NAME="cg-entrance"
    ;;
  "cg-linkismanager"|"linkis-cg-linkismanager"|"linkismanager")
    export SERVER_NAME="cg-linkismanager"
    ;;
  "mg-eureka"|"linkis-mg-eureka"|"eureka")
    export SERVER_NAME="mg-eureka"
    ;;
  "mg-gateway"|"linkis-mg-gateway"|"gateway")
    export SERVER_NAME="mg-gateway"
    ;;
  "ps-publicservice"|"linkis-ps-publicservice"|"publicservice")
    export SERVER_NAME="ps-publicservice"
    ;;
  *)
    ;;
esac

export SERVER_PID=$LINKIS_PID_DIR/linkis_$SERVER_NAME.pid
case $COMMAND in
  start|stop|restart|status)
    $COMMAND $SERVER_NAME
    ;;
  *)
    print_usage
    exit 2
    ;;
esac
