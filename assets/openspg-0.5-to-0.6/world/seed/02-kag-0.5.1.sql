-- Sandbox seed, part 2: the KAG tables openspg v0.5.1 added (dev/release/mysql/sql/initdb.sql
-- of v0.5.1): kg_reason_session / _task / _tutorial and kg_builder_job. A genuine v0.5
-- installation has none of them: the guide's ALTER TABLE kg_builder_job then fails with
-- ERROR 1146, so the wizard checks for this table before any statement runs.
-- kg_builder_job is written with the v0.5.1 columns exactly (the upgrade appends four after
-- `extension`); the reason tables are shortened.

CREATE TABLE `kg_reason_session` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `project_id` bigint(20) unsigned NOT NULL COMMENT '项目ID',
  `user_id` bigint(20) unsigned NOT NULL COMMENT '用户ID',
  `name` varchar(1024) NOT NULL COMMENT '会话名称',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='图谱推理任务会话表';

CREATE TABLE `kg_reason_task` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `project_id` bigint(20) unsigned NOT NULL COMMENT '项目ID',
  `session_id` bigint(20) unsigned NOT NULL COMMENT '会话ID',
  `status` varchar(32) DEFAULT NULL COMMENT '状态',
  `dsl` longtext DEFAULT NULL COMMENT 'DSL执行语句',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='图谱推理任务表';

CREATE TABLE `kg_reason_tutorial` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `project_id` bigint(20) unsigned NOT NULL COMMENT '项目ID',
  `enable` tinyint(1) NOT NULL DEFAULT 1 COMMENT '状态',
  `name` varchar(1024) DEFAULT NULL COMMENT '名称',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='图谱推理教程信息表';

CREATE TABLE `kg_builder_job` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `project_id` bigint(20) unsigned NOT NULL COMMENT '项目ID',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  `create_user` varchar(32) DEFAULT 'NULL' COMMENT '创建人',
  `modify_user` varchar(32) DEFAULT 'NULL' COMMENT '修改人',
  `task_id` bigint(20) unsigned DEFAULT NULL COMMENT '实例任务ID',
  `job_name` varchar(64) NOT NULL COMMENT '名称',
  `chunk_num` bigint(20) unsigned DEFAULT 0 COMMENT '分段数',
  `file_url` varchar(256) NOT NULL COMMENT '文件地址',
  `status` varchar(32) DEFAULT NULL COMMENT '状态',
  `type` varchar(32) DEFAULT NULL COMMENT '类型',
  `extension` longtext DEFAULT NULL COMMENT '扩展信息',
  PRIMARY KEY (`id`),
  KEY `idx_project_id` (`project_id`),
  KEY `idx_task_id` (`task_id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='图谱构建任务表';

INSERT INTO kg_builder_job (`project_id`,`create_user`,`modify_user`,`task_id`,`job_name`,`chunk_num`,`file_url`,`status`,`type`,`extension`)
VALUES (1,'openspg','openspg',1,'medicine-docs',128,'minio://kag/medicine/docs.zip','FINISH','FILE_EXTRACT','{}');
