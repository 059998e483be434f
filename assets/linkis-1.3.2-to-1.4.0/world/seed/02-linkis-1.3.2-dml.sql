-- Sandbox world seed: rows of a Linkis 1.3.2 installation that has run for a while (written for
-- upwiz). Engine labels as the 1.3.2 DML names them (spark-2.4.3, hive-2.3.3, python-python2),
-- spark.python.version defaulting to python2, 14 data source types (so tidb becomes 15), and
-- the 9 gateway tokens with random names the way the 1.3.2 install made them: install.sh put
-- BML-/WS-/DSM-/LINKIS_CLI- + 32 hex, the DML itself concat('QML-', MD5(RAND())) and friends.

SET @SPARK_LABEL="spark-2.4.3";
SET @HIVE_LABEL="hive-2.3.3";
SET @PYTHON_LABEL="python-python2";

-- ---------------------------------------------------------------- configuration keys
INSERT INTO `linkis_ps_configuration_config_key` (`key`, `description`, `name`, `default_value`, `validate_type`, `validate_range`, `engine_conn_type`, `is_hidden`, `is_advanced`, `level`, `treeName`, `en_description`, `en_name`, `en_treeName`) VALUES
('wds.linkis.rm.yarnqueue', 'yarn队列名', 'yarn队列名', 'default', 'None', NULL, '', 0, 0, 1, '队列资源', 'Yarn queue name', 'Yarn Queue Name', 'Queue Resource'),
('wds.linkis.rm.yarnqueue.instance.max', '取值范围：1-128，单位：个', '队列实例最大个数', '30', 'Regex', '^(?:[1-9]\\d?|[1234]\\d{2}|128)$', '', 0, 0, 1, '队列资源', 'Range: 1-128, unit: piece', 'Maximum Number Of Queue Instances', 'Queue Resource'),
('wds.linkis.rm.instance', '范围：1-20，单位：个', 'spark引擎最大并发数', '10', 'NumInterval', '[1,20]', 'spark', 0, 0, 1, '队列资源', 'Range: 1-20, unit: piece', 'Maximum Concurrent Number Of Spark Engines', 'Queue Resource'),
('spark.executor.instances', '取值范围：1-40，单位：个', 'spark执行器实例最大并发数', '1', 'NumInterval', '[1,40]', 'spark', 0, 0, 2, 'spark资源设置', 'Range: 1-40, unit: individual', 'Maximum Concurrent Number Of Spark Executor Instances', 'Spark Resource Settings'),
('spark.executor.cores', '取值范围：1-8，单位：个', 'spark执行器核心个数', '1', 'NumInterval', '[1,8]', 'spark', 0, 0, 1, 'spark资源设置', 'Range: 1-8, unit: piece', 'Number Of Spark Actuator Cores', 'Spark Resource Settings'),
('spark.executor.memory', '取值范围：1-15，单位：G', 'spark执行器内存大小', '1g', 'Regex', '^([1-9]|1[0-5])(G|g)$', 'spark', 0, 0, 3, 'spark资源设置', 'Range: 1-15, unit: G', 'Spark Executor Memory Size', 'Spark Resource Settings'),
('spark.driver.memory', '取值范围：1-15，单位：G', 'spark驱动器内存大小', '1g', 'Regex', '^([1-9]|1[0-5])(G|g)$', 'spark', 0, 0, 1, 'spark资源设置', 'Range: 1-15, unit: G', 'Spark Driver Memory Size', 'Spark Resource Settings'),
('spark.python.version', '取值范围：python2,python3', 'python版本', 'python2', 'OFT', '[\"python3\",\"python2\"]', 'spark', 0, 0, 1, 'spark引擎设置', 'Value range: python2, python3', 'Python Version', 'Spark Engine Settings'),
('wds.linkis.rm.instance', '范围：1-20，单位：个', 'hive引擎最大并发数', '10', 'NumInterval', '[1,20]', 'hive', 0, 0, 1, '队列资源', 'Range: 1-20, unit: piece', 'Maximum Concurrent Number Of Hive Engines', 'Queue Resource'),
('wds.linkis.engineconn.java.driver.memory', '取值范围：1-10，单位：G', 'hive引擎初始化内存大小', '1g', 'Regex', '^([1-9]|10)(G|g)$', 'hive', 0, 0, 1, 'hive引擎设置', 'Range: 1-10, unit: G', 'Hive Engine Initialization Memory Size', 'Hive Engine Settings'),
('hive.client.java.opts', 'hive客户端进程参数', 'hive引擎启动时jvm参数', '', 'None', NULL, 'hive', 1, 1, 1, 'hive引擎设置', 'Hive client process parameters', 'Jvm Parameters When Starting Hive Engine', 'Hive Engine Settings'),
('mapred.reduce.tasks', '范围：-1-10000，单位：个', 'reduce数', '-1', 'NumInterval', '[-1,10000]', 'hive', 0, 1, 1, 'hive资源设置', 'Range: -1-10000, unit: number', 'Reduce Number', 'Hive Resource Settings'),
('wds.linkis.rm.instance', '范围：1-20，单位：个', 'python引擎最大并发数', '10', 'NumInterval', '[1,20]', 'python', 0, 0, 1, '队列资源', 'Range: 1-20, unit: piece', 'Maximum Concurrent Number Of Python Engines', 'Queue Resource'),
('python.version', '取值范围：python2,python3', 'python版本', 'python2', 'OFT', '[\"python3\",\"python2\"]', 'python', 0, 0, 1, 'python引擎设置', 'Value range: python2, python3', 'Python Version', 'Python Engine Settings');

-- ---------------------------------------------------------------- labels (ids 1-27 as the 1.3.2 DML makes them)
INSERT INTO `linkis_cg_manager_label` (`label_key`, `label_value`, `label_feature`, `label_value_size`, `update_time`, `create_time`) VALUES
('combined_userCreator_engineType', '*-全局设置,*-*', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-IDE,*-*', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-Visualis,*-*', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-nodeexecution,*-*', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-*,*-*', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', CONCAT('*-*,', @SPARK_LABEL), 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', CONCAT('*-*,', @HIVE_LABEL), 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', CONCAT('*-*,', @PYTHON_LABEL), 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-*,pipeline-1', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-*,jdbc-4', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-*,openlookeng-1.5.0', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-*,elasticsearch-7.6.2', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-*,presto-0.234', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-*,trino-371', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', CONCAT('*-IDE,', @SPARK_LABEL), 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', CONCAT('*-IDE,', @HIVE_LABEL), 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', CONCAT('*-IDE,', @PYTHON_LABEL), 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-IDE,pipeline-1', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-IDE,jdbc-4', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-IDE,openlookeng-1.5.0', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-IDE,elasticsearch-7.6.2', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-IDE,presto-0.234', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', '*-IDE,trino-371', 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', CONCAT('*-Visualis,', @SPARK_LABEL), 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', CONCAT('*-nodeexecution,', @SPARK_LABEL), 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', CONCAT('*-nodeexecution,', @HIVE_LABEL), 'OPTIONAL', 2, now(), now()),
('combined_userCreator_engineType', CONCAT('*-nodeexecution,', @PYTHON_LABEL), 'OPTIONAL', 2, now(), now());

-- runtime labels the 1.3.2 services registered (clear-server.sh deletes them at the next start)
INSERT INTO `linkis_cg_manager_label` (`label_key`, `label_value`, `label_feature`, `label_value_size`, `update_time`, `create_time`) VALUES
('emInstance', 'linkis-cg-engineconnmanager-127.0.0.1:9102', 'CORE', 2, now(), now()),
('engineInstance', 'linkis-cg-engineconn-127.0.0.1:36541', 'CORE', 2, now(), now()),
('combined_userCreator_engineType', 'hadoop-IDE,*-*', 'OPTIONAL', 2, now(), now());

INSERT INTO `linkis_cg_manager_label_value_relation` (`label_value_key`, `label_value_content`, `label_id`, `update_time`, `create_time`) VALUES
('creator', '*', 6, now(), now()), ('engineType', 'spark', 6, now(), now()), ('version', '2.4.3', 6, now(), now()),
('creator', '*', 7, now(), now()), ('engineType', 'hive', 7, now(), now()), ('version', '2.3.3', 7, now(), now()),
('creator', 'IDE', 15, now(), now()), ('engineType', 'spark', 15, now(), now()),
('instance', '127.0.0.1:9102', 28, now(), now()), ('serviceName', 'linkis-cg-engineconnmanager', 28, now(), now()),
('instance', '127.0.0.1:36541', 29, now(), now()), ('serviceName', 'linkis-cg-engineconn', 29, now(), now()),
('alias', 'linkis-cg-engineconn', 29, now(), now());

-- ---------------------------------------------------------------- configuration tree
INSERT INTO `linkis_ps_configuration_key_engine_relation` (`config_key_id`, `engine_type_label_id`) VALUES
(1, 5), (2, 5), (3, 6), (4, 6), (5, 6), (6, 6), (7, 6), (8, 6), (9, 7), (10, 7), (11, 7), (12, 7), (13, 8), (14, 8);

INSERT INTO `linkis_ps_configuration_category` (`label_id`, `level`, `description`, `tag`, `update_time`, `create_time`) VALUES
(1, 1, NULL, NULL, now(), now()), (2, 1, NULL, NULL, now(), now()), (3, 1, NULL, NULL, now(), now()),
(4, 1, NULL, NULL, now(), now()), (15, 2, NULL, NULL, now(), now()), (16, 2, NULL, NULL, now(), now()),
(17, 2, NULL, NULL, now(), now());

-- defaults per engine label, and user hadoop's own settings
INSERT INTO `linkis_ps_configuration_config_value` (`config_key_id`, `config_value`, `config_label_id`, `update_time`, `create_time`) VALUES
(1, '', 5, now(), now()), (2, '', 5, now(), now()),
(3, '', 6, now(), now()), (4, '', 6, now(), now()), (5, '', 6, now(), now()), (6, '', 6, now(), now()),
(7, '', 6, now(), now()), (8, '', 6, now(), now()),
(9, '', 7, now(), now()), (10, '', 7, now(), now()), (11, '', 7, now(), now()), (12, '', 7, now(), now()),
(13, '', 8, now(), now()), (14, '', 8, now(), now()),
(1, 'root.hadoop', 30, now(), now()), (4, '4', 30, now(), now()), (6, '4g', 30, now(), now());

-- ---------------------------------------------------------------- what the 1.3.2 services left behind
INSERT INTO `linkis_cg_manager_service_instance` (`instance`, `name`, `owner`, `mark`, `update_time`, `create_time`, `updator`, `creator`) VALUES
('127.0.0.1:9101', 'linkis-cg-linkismanager', 'hadoop', 'process', now(), now(), 'hadoop', 'hadoop'),
('127.0.0.1:9102', 'linkis-cg-engineconnmanager', 'hadoop', 'process', now(), now(), 'hadoop', 'hadoop'),
('127.0.0.1:9104', 'linkis-cg-entrance', 'hadoop', 'process', now(), now(), 'hadoop', 'hadoop'),
('127.0.0.1:36541', 'linkis-cg-engineconn', 'hadoop', 'process', now(), now(), 'hadoop', 'hadoop');

INSERT INTO `linkis_cg_manager_service_instance_metrics` (`instance`, `instance_status`, `overload`, `heartbeat_msg`, `healthy_status`, `update_time`, `create_time`) VALUES
('127.0.0.1:9102', 10, '{"maxResource":{"memory":"21474836480","cores":10,"instance":50},"usedResource":{"memory":"1073741824","cores":1,"instance":1}}', '', '{"nodeHealthy":"Healthy","msg":""}', now(), now()),
('127.0.0.1:36541', 8, NULL, '', '{"nodeHealthy":"Healthy","msg":""}', now(), now());

INSERT INTO `linkis_cg_manager_linkis_resources` (`max_resource`, `min_resource`, `used_resource`, `left_resource`, `expected_resource`, `locked_resource`, `resourceType`, `ticketId`, `update_time`, `create_time`, `updator`, `creator`) VALUES
('{"memory":21474836480,"cores":10,"instance":50}', '{"memory":0,"cores":0,"instance":0}', '{"memory":1073741824,"cores":1,"instance":1}', '{"memory":20401094656,"cores":9,"instance":49}', NULL, '{"memory":0,"cores":0,"instance":0}', 'LoadInstance', NULL, now(), now(), 'hadoop', 'hadoop');

INSERT INTO `linkis_cg_manager_label_resource` (`label_id`, `resource_id`, `update_time`, `create_time`) VALUES (28, 1, now(), now());
INSERT INTO `linkis_cg_manager_label_service_instance` (`label_id`, `service_instance`, `update_time`, `create_time`) VALUES
(28, '127.0.0.1:9102', now(), now()), (29, '127.0.0.1:36541', now(), now());
INSERT INTO `linkis_cg_manager_engine_em` (`engine_instance`, `em_instance`, `update_time`, `create_time`) VALUES ('127.0.0.1:36541', '127.0.0.1:9102', now(), now());
INSERT INTO `linkis_cg_manager_lock` (`lock_object`, `time_out`, `update_time`, `create_time`) VALUES ('ServiceInstance(linkis-cg-engineconnmanager, 127.0.0.1:9102)', '30000', now(), now());

INSERT INTO `linkis_cg_ec_resource_info_record` (`label_value`, `create_user`, `service_instance`, `ecm_instance`, `ticket_id`, `status`, `log_dir_suffix`, `request_times`, `request_resource`, `used_times`, `used_resource`, `metrics`, `release_times`, `released_resource`, `release_time`, `used_time`, `create_time`) VALUES
('hadoop-IDE,spark-2.4.3', 'hadoop', '127.0.0.1:36541', '127.0.0.1:9102', '5fa2b1f0-3c1d-4a9e-8f3b-2d6a1c0e9b41', 'ShuttingDown', 'hadoop/20240314/spark/5fa2b1f0-3c1d-4a9e-8f3b-2d6a1c0e9b41/logs', 1, '{"driver":{"memory":"1073741824","cores":1,"instance":1},"yarn":{"queueName":"root.hadoop","queueMemory":"4294967296","queueCores":4,"queueInstances":0}}', 1, '{"driver":{"memory":"1073741824","cores":1,"instance":1},"yarn":{"queueName":"root.hadoop","queueMemory":"4294967296","queueCores":4,"queueInstances":0}}', '{"lastTaskStatus":"Succeed","taskNumber":3,"lastUnlockTimestamp":1710400212000}', 1, '{"driver":{"memory":"1073741824","cores":1,"instance":1}}', '2024-03-14 10:31:02', '2024-03-14 10:05:47', '2024-03-14 10:05:31'),
('hadoop-IDE,hive-2.3.3', 'hadoop', '127.0.0.1:41377', '127.0.0.1:9102', '9c0e77d2-81b4-4f6e-a2c5-7e3d90b1f6a8', 'Success', 'hadoop/20240315/hive/9c0e77d2-81b4-4f6e-a2c5-7e3d90b1f6a8/logs', 1, '{"memory":"1073741824","cores":1,"instance":1}', 1, '{"memory":"1073741824","cores":1,"instance":1}', '{"lastTaskStatus":"Succeed","taskNumber":1}', 1, '{"memory":"1073741824","cores":1,"instance":1}', '2024-03-15 16:12:44', '2024-03-15 16:02:10', '2024-03-15 16:01:58');

-- ---------------------------------------------------------------- data source types (ids 1-14)
INSERT INTO `linkis_ps_dm_datasource_type` (`name`, `description`, `option`, `classifier`, `icon`, `layers`, `description_en`, `option_en`, `classifier_en`) VALUES
('kafka', 'kafka', 'kafka', '消息队列', '', 2, 'Kafka', 'Kafka', 'Message Queue'),
('hive', 'hive数据库', 'hive', '大数据存储', '', 3, 'Hive Database', 'Hive', 'Big Data storage'),
('elasticsearch', 'elasticsearch数据源', 'es无结构化存储', '分布式全文索引', '', 3, 'Elasticsearch Datasource', 'Es No Structured Storage', 'Distributed Full-Text Indexing'),
('mongodb', 'mongodb', 'NoSQL文档存储', 'NoSQL', NULL, 3, 'mongodb', 'NoSQL Document Storage', 'NOSQL'),
('mysql', 'mysql数据库', 'mysql数据库', '关系型数据库', '', 3, 'Mysql Database', 'Mysql Database', 'Relational Database'),
('oracle', 'oracle数据库', 'oracle', '关系型数据库', '', 3, 'Oracle Database', 'Oracle Relational Database', 'Relational Database'),
('dm', '达梦数据库', 'dm', '关系型数据库', '', 3, 'Dameng Database', 'Dm', 'Relational Database'),
('kingbase', '人大金仓数据库', 'kingbase', '关系型数据库', '', 3, 'Renmin Jincang Database', 'Kingbase', 'Relational Database'),
('postgresql', 'postgresql数据库', 'postgresql', '关系型数据库', '', 3, 'Postgresql Database', 'Postgresql', 'Relational Database'),
('sqlserver', 'sqlserver数据库', 'sqlserver', '关系型数据库', '', 3, 'Sqlserver Database', 'Sqlserver', 'Relational Database'),
('db2', 'db2数据库', 'db2', '关系型数据库', '', 3, 'Db2 Database', 'Db2', 'Relational Database'),
('greenplum', 'greenplum数据库', 'greenplum', '关系型数据库', '', 3, 'Greenplum Database', 'Greenplum', 'Relational Database'),
('doris', 'doris数据库', 'doris', 'olap', '', 4, 'Doris Database', 'Doris', 'Olap'),
('clickhouse', 'clickhouse数据库', 'clickhouse', 'olap', '', 4, 'Clickhouse Database', 'Clickhouse', 'Olap');

select @data_source_type_id := id from `linkis_ps_dm_datasource_type` where `name` = 'mysql';
INSERT INTO `linkis_ps_dm_datasource_type_key`
(`data_source_type_id`, `key`, `name`, `name_en`, `default_value`, `value_type`, `scope`, `require`, `description`, `description_en`, `value_regex`, `ref_id`, `ref_value`, `data_source`, `update_time`, `create_time`)
VALUES (@data_source_type_id, 'host', '主机名(Host)', 'Host', NULL, 'TEXT', NULL, 1, '主机名(Host)', 'Host', NULL, NULL, NULL, NULL, now(), now()),
       (@data_source_type_id, 'port', '端口号(Port)', 'Port', NULL, 'TEXT', NULL, 1, '端口号(Port)', 'Port', NULL, NULL, NULL, NULL, now(), now()),
       (@data_source_type_id, 'driverClassName', '驱动类名(Driver class name)', 'Driver class name', 'com.mysql.jdbc.Driver', 'TEXT', NULL, 1, '驱动类名(Driver class name)', 'Driver class name', NULL, NULL, NULL, NULL, now(), now()),
       (@data_source_type_id, 'params', '连接参数(Connection params)', 'Connection params', NULL, 'TEXT', NULL, 0, '输入JSON格式(Input JSON format): {"param":"value"}', 'Input JSON format: {"param":"value"}', NULL, NULL, NULL, NULL, now(), now()),
       (@data_source_type_id, 'username', '用户名(Username)', 'Username', NULL, 'TEXT', NULL, 1, '用户名(Username)', 'Username', '^[0-9A-Za-z_-]+$', NULL, NULL, NULL, now(), now()),
       (@data_source_type_id, 'password', '密码(Password)', 'Password', NULL, 'PASSWORD', NULL, 1, '密码(Password)', 'Password', '', NULL, NULL, NULL, now(), now()),
       (@data_source_type_id, 'databaseName', '数据库名(Database name)', 'Database name', NULL, 'TEXT', NULL, 0, '数据库名(Database name)', 'Database name', NULL, NULL, NULL, NULL, now(), now());

select @data_source_type_id := id from `linkis_ps_dm_datasource_type` where `name` = 'kafka';
INSERT INTO `linkis_ps_dm_datasource_type_key`
(`data_source_type_id`, `key`, `name`, `name_en`, `default_value`, `value_type`, `scope`, `require`, `description`, `description_en`, `value_regex`, `ref_id`, `ref_value`, `data_source`, `update_time`, `create_time`)
VALUES (@data_source_type_id, 'envId', '集群环境(Cluster env)', 'Cluster env', NULL, 'SELECT', NULL, 1, '集群环境(Cluster env)', 'Cluster env', NULL, NULL, NULL, '/data-source-manager/env-list/all/type/1', now(), now());

select @data_source_type_id := id from `linkis_ps_dm_datasource_type` where `name` = 'hive';
INSERT INTO `linkis_ps_dm_datasource_type_key`
(`data_source_type_id`, `key`, `name`, `name_en`, `default_value`, `value_type`, `scope`, `require`, `description`, `description_en`, `value_regex`, `ref_id`, `ref_value`, `data_source`, `update_time`, `create_time`)
VALUES (@data_source_type_id, 'envId', '集群环境(Cluster env)', 'Cluster env', NULL, 'SELECT', NULL, 1, '集群环境(Cluster env)', 'Cluster env', NULL, NULL, NULL, '/data-source-manager/env-list/all/type/2', now(), now());

-- ---------------------------------------------------------------- gateway tokens
INSERT INTO `linkis_mg_gateway_auth_token`(`token_name`,`legal_users`,`legal_hosts`,`business_owner`,`create_time`,`update_time`,`elapse_day`,`update_by`) VALUES
(concat('QML-', MD5(RAND())),'*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
(concat('BML-', MD5(RAND())),'*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
(concat('WS-', MD5(RAND())),'*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
(concat('DSS-', MD5(RAND())),'*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
(concat('QUALITIS-', MD5(RAND())),'*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
(concat('VALIDATOR-', MD5(RAND())),'*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
(concat('LINKISCLI-', MD5(RAND())),'*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
(concat('DSM-', MD5(RAND())),'*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
(concat('LINKIS_CLI-', MD5(RAND())),'*','*','BDP',curdate(),curdate(),-1,'LINKIS');

-- ---------------------------------------------------------------- a little history
INSERT INTO `linkis_ps_job_history_group_history` (`job_req_id`, `submit_user`, `execute_user`, `source`, `labels`, `params`, `progress`, `status`, `log_path`, `error_code`, `error_desc`, `created_time`, `updated_time`, `instances`, `metrics`, `engine_type`, `execution_code`, `result_location`) VALUES
('IDE_hadoop_spark_0', 'hadoop', 'hadoop', '{"scriptPath":"file:///tmp/linkis/hadoop/test.sql"}', '{"userCreator":"hadoop-IDE","engineType":"spark-2.4.3","codeType":"sql"}', '{}', '1.0', 'Succeed', 'file:///tmp/linkis/log/2024-03-14/IDE/hadoop/1.log', NULL, NULL, '2024-03-14 10:05:30.512', '2024-03-14 10:06:12.007', '127.0.0.1:9104', '{"scheduleTime":"2024-03-14T10:05:31+0800","completeTime":"2024-03-14T10:06:12+0800"}', 'spark', 'select count(1) from default.dwd_user_event', 'file:///tmp/linkis/hadoop/linkis/2024-03-14/100530/IDE/1'),
('IDE_hadoop_hive_1', 'hadoop', 'hadoop', '{"scriptPath":"file:///tmp/linkis/hadoop/统计.hql"}', '{"userCreator":"hadoop-IDE","engineType":"hive-2.3.3","codeType":"hql"}', '{}', '1.0', 'Succeed', 'file:///tmp/linkis/log/2024-03-15/IDE/hadoop/2.log', NULL, NULL, '2024-03-15 16:01:57.880', '2024-03-15 16:02:40.441', '127.0.0.1:9104', '{"scheduleTime":"2024-03-15T16:01:58+0800","completeTime":"2024-03-15T16:02:40+0800"}', 'hive', 'show databases', 'file:///tmp/linkis/hadoop/linkis/2024-03-15/160157/IDE/2'),
('IDE_hadoop_shell_2', 'hadoop', 'hadoop', '{}', '{"userCreator":"hadoop-IDE","engineType":"shell-1","codeType":"shell"}', '{}', '0.0', 'Failed', 'file:///tmp/linkis/log/2024-03-16/IDE/hadoop/3.log', 21304, '任务执行失败(Task execution failed)', '2024-03-16 09:12:03.101', '2024-03-16 09:12:09.330', '127.0.0.1:9104', '{}', 'shell', 'whoami', NULL);
