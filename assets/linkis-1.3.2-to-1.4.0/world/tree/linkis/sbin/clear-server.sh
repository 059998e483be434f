#!/bin/sh
#
# description:  empties the manager's runtime tables before a start (after Linkis 1.4.0's
# sbin/clear-server.sh). Sandbox world: the statements go to the client on stdin through a
# here-document (the real script writes them to /tmp/clearserver.command first) and the
# password through a 0600 option file (the real one puts it on the command line).
#

. "${LINKIS_HOME}/conf/db.sh"
. "${LINKIS_HOME}/sbin/common.sh"
if [ "$dbType" = "mysql" ]; then
  sim_mysql <<'SQL'
DELETE FROM  `linkis_cg_manager_label_value_relation` where label_value_key="alias";
  DELETE FROM  `linkis_cg_manager_label_value_relation` where label_value_key="serviceName";
  DELETE FROM  `linkis_cg_manager_label_value_relation` where label_value_key="instance";
  DELETE FROM  `linkis_cg_manager_label` where label_key="engineInstance" or label_key="emInstance";

  DELETE FROM  `linkis_cg_manager_label_service_instance`;
  DELETE FROM  `linkis_cg_manager_linkis_resources`;
  DELETE FROM  `linkis_cg_manager_service_instance_metrics`;
  DELETE FROM  `linkis_cg_manager_lock` ;
  DELETE FROM  `linkis_cg_manager_label_resource`;
  DELETE FROM  `linkis_cg_manager_service_instance`;
  DELETE FROM  `linkis_cg_manager_engine_em`;
SQL
fi
