-- Linkis 1.4.0 full install data (the sandbox world's linkis-package/db/linkis_dml.sql, after
-- install.sh's token seds). Sourced after linkis_ddl.sql when the operator answers 2.
-- Written for upwiz: 1.4.0 engine labels (spark-3.2.1, hive-3.1.3), spark.python.version python3,
-- the 18 data source types of 1.4.0, and the same tokens install.sh wrote into conf/.

SET @SPARK_LABEL="spark-3.2.1";
SET @HIVE_LABEL="hive-3.1.3";
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
('spark.python.version', '取值范围：python2,python3', 'python版本', 'python3', 'OFT', '[\"python3\",\"python2\"]', 'spark', 0, 0, 1, 'spark引擎设置', 'Value range: python2, python3', 'Python Version', 'Spark Engine Settings'),
('wds.linkis.rm.instance', '范围：1-20，单位：个', 'hive引擎最大并发数', '10', 'NumInterval', '[1,20]', 'hive', 0, 0, 1, '队列资源', 'Range: 1-20, unit: piece', 'Maximum Concurrent Number Of Hive Engines', 'Queue Resource'),
('wds.linkis.engineconn.java.driver.memory', '取值范围：1-10，单位：G', 'hive引擎初始化内存大小', '1g', 'Regex', '^([1-9]|10)(G|g)$', 'hive', 0, 0, 1, 'hive引擎设置', 'Range: 1-10, unit: G', 'Hive Engine Initialization Memory Size', 'Hive Engine Settings'),
('hive.client.java.opts', 'hive客户端进程参数', 'hive引擎启动时jvm参数', '', 'None', NULL, 'hive', 1, 1, 1, 'hive引擎设置', 'Hive client process parameters', 'Jvm Parameters When Starting Hive Engine', 'Hive Engine Settings'),
('mapred.reduce.tasks', '范围：-1-10000，单位：个', 'reduce数', '-1', 'NumInterval', '[-1,10000]', 'hive', 0, 1, 1, 'hive资源设置', 'Range: -1-10000, unit: number', 'Reduce Number', 'Hive Resource Settings'),
('wds.linkis.rm.instance', '范围：1-20，单位：个', 'python引擎最大并发数', '10', 'NumInterval', '[1,20]', 'python', 0, 0, 1, '队列资源', 'Range: 1-20, unit: piece', 'Maximum Concurrent Number Of Python Engines', 'Queue Resource'),
('python.version', '取值范围：python2,python3', 'python版本', 'python2', 'OFT', '[\"python3\",\"python2\"]', 'python', 0, 0, 1, 'python引擎设置', 'Value range: python2, python3', 'Python Version', 'Python Engine Settings');

-- ---------------------------------------------------------------- labels (ids 1-27)
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

INSERT INTO `linkis_cg_manager_label_value_relation` (`label_value_key`, `label_value_content`, `label_id`, `update_time`, `create_time`) VALUES
('creator', '*', 6, now(), now()), ('engineType', 'spark', 6, now(), now()), ('version', '3.2.1', 6, now(), now()),
('creator', '*', 7, now(), now()), ('engineType', 'hive', 7, now(), now()), ('version', '3.1.3', 7, now(), now()),
('creator', 'IDE', 15, now(), now()), ('engineType', 'spark', 15, now(), now());

-- ---------------------------------------------------------------- configuration tree
INSERT INTO `linkis_ps_configuration_key_engine_relation` (`config_key_id`, `engine_type_label_id`) VALUES
(1, 5), (2, 5), (3, 6), (4, 6), (5, 6), (6, 6), (7, 6), (8, 6), (9, 7), (10, 7), (11, 7), (12, 7), (13, 8), (14, 8);

INSERT INTO `linkis_ps_configuration_category` (`label_id`, `level`, `description`, `tag`, `update_time`, `create_time`) VALUES
(1, 1, NULL, NULL, now(), now()), (2, 1, NULL, NULL, now(), now()), (3, 1, NULL, NULL, now(), now()),
(4, 1, NULL, NULL, now(), now()), (15, 2, NULL, NULL, now(), now()), (16, 2, NULL, NULL, now(), now()),
(17, 2, NULL, NULL, now(), now());

-- defaults per engine label
INSERT INTO `linkis_ps_configuration_config_value` (`config_key_id`, `config_value`, `config_label_id`, `update_time`, `create_time`) VALUES
(1, '', 5, now(), now()), (2, '', 5, now(), now()),
(3, '', 6, now(), now()), (4, '', 6, now(), now()), (5, '', 6, now(), now()), (6, '', 6, now(), now()),
(7, '', 6, now(), now()), (8, '', 6, now(), now()),
(9, '', 7, now(), now()), (10, '', 7, now(), now()), (11, '', 7, now(), now()), (12, '', 7, now(), now()),
(13, '', 8, now(), now()), (14, '', 8, now(), now());

-- ---------------------------------------------------------------- data source types (ids 1-18)
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

INSERT INTO `linkis_ps_dm_datasource_type` (`name`, `description`, `option`, `classifier`, `icon`, `layers`, `description_en`, `option_en`, `classifier_en`) VALUES ('tidb', 'tidb数据库', 'tidb', '关系型数据库', '', 3, 'TiDB Database', 'TiDB', 'Relational Database');

select @data_source_type_id := id from `linkis_ps_dm_datasource_type` where `name` = 'tidb';
INSERT INTO `linkis_ps_dm_datasource_type_key`
(`data_source_type_id`, `key`, `name`, `name_en`, `default_value`, `value_type`, `scope`, `require`, `description`, `description_en`, `value_regex`, `ref_id`, `ref_value`, `data_source`, `update_time`, `create_time`)
VALUES (@data_source_type_id, 'address', '地址', 'Address', NULL, 'TEXT', NULL, 0, '地址(host1:port1,host2:port2...)', 'Address(host1:port1,host2:port2...)', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'host', '主机名(Host)', 'Host', NULL, 'TEXT', NULL, 1, '主机名(Host)', 'Host', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'port', '端口号(Port)', 'Port', NULL, 'TEXT', NULL, 1, '端口号(Port)', 'Port', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'driverClassName', '驱动类名(Driver class name)', 'Driver class name', 'com.mysql.jdbc.Driver', 'TEXT', NULL, 1, '驱动类名(Driver class name)', 'Driver class name', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'params', '连接参数(Connection params)', 'Connection params', NULL, 'TEXT', NULL, 0, '输入JSON格式(Input JSON format): {"param":"value"}', 'Input JSON format: {"param":"value"}', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'username', '用户名(Username)', 'Username', NULL, 'TEXT', NULL, 1, '用户名(Username)', 'Username', '^[0-9A-Za-z_-]+$', NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'password', '密码(Password)', 'Password', NULL, 'PASSWORD', NULL, 0, '密码(Password)', 'Password', '', NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'instance', '实例名(instance)', 'Instance', NULL, 'TEXT', NULL, 1, '实例名(instance)', 'Instance', NULL, NULL, NULL, NULL,  now(), now());

INSERT INTO `linkis_ps_dm_datasource_type` (`name`, `description`, `option`, `classifier`, `icon`, `layers`, `description_en`, `option_en`, `classifier_en`) VALUES ('starrocks', 'starrocks数据库', 'starrocks', 'olap', '', 4, 'StarRocks Database', 'StarRocks', 'Olap');

select @data_source_type_id := id from `linkis_ps_dm_datasource_type` where `name` = 'starrocks';
INSERT INTO `linkis_ps_dm_datasource_type_key`
(`data_source_type_id`, `key`, `name`, `name_en`, `default_value`, `value_type`, `scope`, `require`, `description`, `description_en`, `value_regex`, `ref_id`, `ref_value`, `data_source`, `update_time`, `create_time`)
VALUES (@data_source_type_id, 'address', '地址', 'Address', NULL, 'TEXT', NULL, 0, '地址(host1:port1,host2:port2...)', 'Address(host1:port1,host2:port2...)', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'host', '主机名(Host)', 'Host', NULL, 'TEXT', NULL, 1, '主机名(Host)', 'Host', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'port', '端口号(Port)', 'Port', NULL, 'TEXT', NULL, 1, '端口号(Port)', 'Port', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'driverClassName', '驱动类名(Driver class name)', 'Driver class name', 'com.mysql.jdbc.Driver', 'TEXT', NULL, 1, '驱动类名(Driver class name)', 'Driver class name', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'params', '连接参数(Connection params)', 'Connection params', NULL, 'TEXT', NULL, 0, '输入JSON格式(Input JSON format): {"param":"value"}', 'Input JSON format: {"param":"value"}', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'username', '用户名(Username)', 'Username', NULL, 'TEXT', NULL, 1, '用户名(Username)', 'Username', '^[0-9A-Za-z_-]+$', NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'password', '密码(Password)', 'Password', NULL, 'PASSWORD', NULL, 0, '密码(Password)', 'Password', '', NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'instance', '实例名(instance)', 'Instance', NULL, 'TEXT', NULL, 1, '实例名(instance)', 'Instance', NULL, NULL, NULL, NULL,  now(), now());

INSERT INTO `linkis_ps_dm_datasource_type` (`name`, `description`, `option`, `classifier`, `icon`, `layers`, `description_en`, `option_en`, `classifier_en`) VALUES ('gaussdb', 'gaussdb数据库', 'gaussdb', '关系型数据库', '', 3, 'GaussDB Database', 'GaussDB', 'Relational Database');

select @data_source_type_id := id from `linkis_ps_dm_datasource_type` where `name` = 'gaussdb';
INSERT INTO `linkis_ps_dm_datasource_type_key`
(`data_source_type_id`, `key`, `name`, `name_en`, `default_value`, `value_type`, `scope`, `require`, `description`, `description_en`, `value_regex`, `ref_id`, `ref_value`, `data_source`, `update_time`, `create_time`)
VALUES (@data_source_type_id, 'address', '地址', 'Address', NULL, 'TEXT', NULL, 0, '地址(host1:port1,host2:port2...)', 'Address(host1:port1,host2:port2...)', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'host', '主机名(Host)', 'Host', NULL, 'TEXT', NULL, 1, '主机名(Host)', 'Host', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'port', '端口号(Port)', 'Port', NULL, 'TEXT', NULL, 1, '端口号(Port)', 'Port', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'driverClassName', '驱动类名(Driver class name)', 'Driver class name', 'org.postgresql.Driver', 'TEXT', NULL, 1, '驱动类名(Driver class name)', 'Driver class name', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'params', '连接参数(Connection params)', 'Connection params', NULL, 'TEXT', NULL, 0, '输入JSON格式(Input JSON format): {"param":"value"}', 'Input JSON format: {"param":"value"}', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'username', '用户名(Username)', 'Username', NULL, 'TEXT', NULL, 1, '用户名(Username)', 'Username', '^[0-9A-Za-z_-]+$', NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'password', '密码(Password)', 'Password', NULL, 'PASSWORD', NULL, 1, '密码(Password)', 'Password', '', NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'instance', '实例名(instance)', 'Instance', NULL, 'TEXT', NULL, 1, '实例名(instance)', 'Instance', NULL, NULL, NULL, NULL,  now(), now());

INSERT INTO `linkis_ps_dm_datasource_type` (`name`, `description`, `option`, `classifier`, `icon`, `layers`, `description_en`, `option_en`, `classifier_en`) VALUES ('oceanbase', 'oceanbase数据库', 'oceanbase', 'olap', '', 4, 'oceanbase Database', 'oceanbase', 'Olap');

select @data_source_type_id := id from `linkis_ps_dm_datasource_type` where `name` = 'oceanbase';
INSERT INTO `linkis_ps_dm_datasource_type_key`
(`data_source_type_id`, `key`, `name`, `name_en`, `default_value`, `value_type`, `scope`, `require`, `description`, `description_en`, `value_regex`, `ref_id`, `ref_value`, `data_source`, `update_time`, `create_time`)
VALUES (@data_source_type_id, 'address', '地址', 'Address', NULL, 'TEXT', NULL, 0, '地址(host1:port1,host2:port2...)', 'Address(host1:port1,host2:port2...)', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'host', '主机名(Host)', 'Host', NULL, 'TEXT', NULL, 1, '主机名(Host)', 'Host', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'port', '端口号(Port)', 'Port', NULL, 'TEXT', NULL, 1, '端口号(Port)', 'Port', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'driverClassName', '驱动类名(Driver class name)', 'Driver class name', 'com.mysql.jdbc.Driver', 'TEXT', NULL, 1, '驱动类名(Driver class name)', 'Driver class name', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'params', '连接参数(Connection params)', 'Connection params', NULL, 'TEXT', NULL, 0, '输入JSON格式(Input JSON format): {"param":"value"}', 'Input JSON format: {"param":"value"}', NULL, NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'username', '用户名(Username)', 'Username', NULL, 'TEXT', NULL, 1, '用户名(Username)', 'Username', '^[0-9A-Za-z_-]+$', NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'password', '密码(Password)', 'Password', NULL, 'PASSWORD', NULL, 1, '密码(Password)', 'Password', '', NULL, NULL, NULL,  now(), now()),
       (@data_source_type_id, 'instance', '实例名(instance)', 'Instance', NULL, 'TEXT', NULL, 1, '实例名(instance)', 'Instance', NULL, NULL, NULL, NULL,  now(), now());

-- ---------------------------------------------------------------- gateway tokens
-- (install.sh replaced the *-AUTH placeholders with the tokens it also wrote into conf/)
INSERT INTO `linkis_mg_gateway_auth_token`(`token_name`,`legal_users`,`legal_hosts`,`business_owner`,`create_time`,`update_time`,`elapse_day`,`update_by`) VALUES
('QML-${NEW_QML_TOKEN}','*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
('BML-${NEW_BML_TOKEN}','*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
('WS-${NEW_WS_TOKEN}','*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
('DSS-${NEW_DSS_TOKEN}','*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
('QUALITIS-${NEW_QUALITIS_TOKEN}','*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
('VALIDATOR-${NEW_VALIDATOR_TOKEN}','*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
('LINKISCLI-${NEW_LINKISCLI_TOKEN}','*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
('DSM-${NEW_DSM_TOKEN}','*','*','BDP',curdate(),curdate(),-1,'LINKIS'),
('LINKIS_CLI-${NEW_LINKIS_CLI_TOKEN}','*','*','BDP',curdate(),curdate(),-1,'LINKIS');
