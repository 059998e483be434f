#!/bin/sh
#
# description:  Stop all Server (after Linkis 1.4.0's sbin/linkis-stop-all.sh)
#

cd "$(dirname "$0")" || exit 1
cd ..
INSTALL_HOME=$(pwd)

# set LINKIS_HOME
if [ "$LINKIS_HOME" = "" ]; then
  export LINKIS_HOME=$INSTALL_HOME
fi

info="We will stop all linkis applications, it will take some time, please wait"
echo ${info}

. "${LINKIS_HOME}/sbin/common.sh"
# set LINKIS_CONF_DIR
if [ "$LINKIS_CONF_DIR" = "" ]; then
  export LINKIS_CONF_DIR=$LINKIS_HOME/conf
fi
. "$LINKIS_CONF_DIR/linkis-env.sh"
export LINKIS_SIM_BIN LINKIS_SIM_DIR LINKIS_SIM_TIME_SCALE

stopApp(){
echo "<-------------------------------->"
echo "Begin to stop $SERVER_NAME"
SERVER_STOP_CMD="sh $LINKIS_HOME/sbin/linkis-daemon.sh stop $SERVER_NAME"
if test -z "$SERVER_IP"
then
  SERVER_IP=$local_host
fi

executeCMD $SERVER_IP "$SERVER_STOP_CMD"

echo "<-------------------------------->"
}

#ec
stopEC(){
echo "<-------------------------------->"
echo "Begin to stop EC"
# Sandbox world: no engine (EngineConnServer) ever runs here.
echo "no ec service runniing."
echo "server ENGINECONNs is stopped"
echo "<-------------------------------->"
}


#ec
stopEC

#linkis-mg-gateway
SERVER_NAME="mg-gateway"
SERVER_IP=$GATEWAY_INSTALL_IP
stopApp

#linkis-cg-engineconnmanager(ecm)
SERVER_NAME="cg-engineconnmanager"
SERVER_IP=$ENGINECONNMANAGER_INSTALL_IP
stopApp

#linkis-cg-entrance
SERVER_NAME="cg-entrance"
SERVER_IP=$ENTRANCE_INSTALL_IP
stopApp

#linkis-ps-publicservice
SERVER_NAME="ps-publicservice"
SERVER_IP=$PUBLICSERVICE_INSTALL_IP
stopApp

#linkis-cg-linkismanager
SERVER_NAME="cg-linkismanager"
SERVER_IP=$MANAGER_INSTALL_IP
stopApp

#linkis-mg-eureka
if [ "$DISCOVERY" = "EUREKA" ]; then
  export SERVER_NAME="mg-eureka"
  SERVER_IP=$EUREKA_INSTALL_IP
  stopApp
fi

echo "stop-all shell script executed completely"
