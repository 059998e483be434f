#!/bin/bash
#
# description:  Linkis 1.4.0 install and runtime environment (deploy-config/linkis-env.sh, copied into
# conf/ by install.sh). Sandbox world: ports are the ones this world allocated on 127.0.0.1.
#

# SSH_PORT=22

### deploy user
deployUser=hadoop
##If you don't set it, a random password string will be generated during installation
deployPwd=

### database type
### choose mysql or postgresql, default mysql
dbType=mysql
export dbType

##Linkis_SERVER_VERSION
LINKIS_SERVER_VERSION=v1

### Specifies the user workspace, which is used to store the user's script files and log files.
### Generally local directory, path mode can be [file://] or [hdfs://]
WORKSPACE_USER_ROOT_PATH=file:///tmp/linkis/
### User's root hdfs path, path mode can be [file://] or [hdfs://]
HDFS_USER_ROOT_PATH=hdfs:///tmp/linkis
### Path to store started engines and engine logs, must be local
ENGINECONN_ROOT_PATH=$${LINKIS_HOME}/engineconn-root
RESULT_SET_ROOT_PATH=hdfs:///tmp/linkis

##YARN REST URL  spark engine required
YARN_RESTFUL_URL="http://127.0.0.1:8088"

###HADOOP CONF DIR
HADOOP_HOME=${HADOOP_HOME:-"/appcom/Install/hadoop"}
HADOOP_CONF_DIR=${HADOOP_CONF_DIR:-"/appcom/config/hadoop-config"}
HADOOP_KERBEROS_ENABLE=${HADOOP_KERBEROS_ENABLE:-"false"}
HADOOP_KEYTAB_PATH=${HADOOP_KEYTAB_PATH:-"/appcom/keytab/"}
## Hadoop env version
HADOOP_VERSION=${HADOOP_VERSION:-"3.3.4"}

#Hive
HIVE_HOME=/appcom/Install/hive
HIVE_CONF_DIR=/appcom/config/hive-config

#Spark
SPARK_HOME=/appcom/Install/spark
SPARK_CONF_DIR=/appcom/config/spark-config

## Engine version conf
#SPARK_VERSION
#SPARK_VERSION=3.2.1
##HIVE_VERSION
#HIVE_VERSION=3.1.3
#PYTHON_VERSION=python2

################### The install Configuration of all Micro-Services #####################
#
#    NOTICE:
#       1. If you just wanna try, the following micro-service configuration can be set without any settings.
#            These services will be installed by default on this machine.
#       2. In order to get the most complete enterprise-level features, we strongly recommend that you install
#          the following microservice parameters
#

###  DISCOVERY
DISCOVERY=EUREKA

###  EUREKA install information
###  You can access it in your browser at the address below:http://$${EUREKA_INSTALL_IP}:$${EUREKA_PORT}
#EUREKA: Microservices Service Registration Discovery Center
EUREKA_INSTALL_IP=127.0.0.1
EUREKA_PORT=${EUREKA_PORT}
export EUREKA_PREFER_IP=false

###  Gateway install information
GATEWAY_INSTALL_IP=127.0.0.1
GATEWAY_PORT=${GATEWAY_PORT}

### ApplicationManager
MANAGER_INSTALL_IP=127.0.0.1
MANAGER_PORT=${MANAGER_PORT}

### EngineManager
ENGINECONNMANAGER_INSTALL_IP=127.0.0.1
ENGINECONNMANAGER_PORT=${ECM_PORT}

### EngineConnPluginServer
ENGINECONN_PLUGIN_SERVER_INSTALL_IP=127.0.0.1
ENGINECONN_PLUGIN_SERVER_PORT=9103

### LinkisEntrance
ENTRANCE_INSTALL_IP=127.0.0.1
ENTRANCE_PORT=${ENTRANCE_PORT}

###  publicservice
PUBLICSERVICE_INSTALL_IP=127.0.0.1
PUBLICSERVICE_PORT=${PS_PORT}

########################################################################################

## LDAP is for enterprise authorization, if you just want to have a try, ignore it.
#LDAP_URL=ldap://localhost:1389/
#LDAP_BASEDN=dc=webank,dc=com
#LDAP_USER_NAME_FORMAT=cn=%s@xxx.com,OU=xxx,DC=xxx,DC=com

## java application default jvm memory
export SERVER_HEAP_SIZE="512M"

##The decompression directory and the installation directory need to be inconsistent
LINKIS_HOME=${LINKIS_HOME}

##The extended lib such mysql-connector-java-*.jar
#LINKIS_EXTENDED_LIB=/appcom/common/linkisExtendedLib

LINKIS_VERSION=1.4.0

# for install
LINKIS_PUBLIC_MODULE=lib/linkis-commons/public-module

## If SKYWALKING_AGENT_PATH is set, the Linkis components will be started with Skywalking agent
#SKYWALKING_AGENT_PATH=/appcom/config/skywalking-agent/skywalking-agent.jar

##If you want to enable prometheus for monitoring linkis, you can set this export PROMETHEUS_ENABLE=true
export PROMETHEUS_ENABLE=false

#If you only want to experience linkis streamlined services, not rely on hdfs
#you can set the following configuration to false  and for the configuration related to the file directory,
#use path mode of [file://] to replace [hdfs://]
export ENABLE_HDFS=true
export ENABLE_HIVE=true
export ENABLE_SPARK=true

## Sandbox world only (not in a real linkis-env.sh): the simulated services are `upwiz sim-http`
## processes answering from the routes under LINKIS_SIM_DIR; the scripts' waits are scaled by
## LINKIS_SIM_TIME_SCALE per mille (20: "sleep 15" takes 0.3 s; 1000: real time).
LINKIS_SIM_BIN="${UPWIZ}"
LINKIS_SIM_DIR=${ROOT}/sim
LINKIS_SIM_TIME_SCALE=${LINKIS_SIM_TIME_SCALE:-20}
