-- Sandbox seed, part 1: the twelve OpenSPG core tables, in the shape they have in both v0.5
-- and v0.5.1 (dev/release/mysql/sql: initdb.sql in v0.5, openspg-initdb.sql from v0.5.1 on).
-- Written for the sandbox, not copied: the columns the wizard and the server touch are
-- there, the long tail of ontology columns is shortened. A little knowledge base (one
-- project, its domain, a few entity types) stands for the data the operator wants to keep.

CREATE TABLE `kg_project_info` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT COMMENT '主键',
  `name` varchar(255) NOT NULL COMMENT '项目名称',
  `description` varchar(1024) DEFAULT NULL COMMENT '项目描述信息',
  `status` varchar(20) NOT NULL DEFAULT 'INVALID' COMMENT 'DELETE:删除 VALID:有效 INVALID：无效',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  `namespace` varchar(64) NOT NULL DEFAULT '' COMMENT '命名空间',
  `biz_domain_id` bigint(20) DEFAULT NULL COMMENT '业务域主键',
  `config` text DEFAULT NULL COMMENT '项目配置信息',
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_name` (`name`)
) DEFAULT CHARSET=utf8mb4 COMMENT='图谱项目信息表';

CREATE TABLE `kg_biz_domain` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  `name` varchar(100) DEFAULT NULL COMMENT '名称',
  `status` varchar(20) DEFAULT NULL COMMENT '状态',
  `description` varchar(1024) DEFAULT NULL COMMENT '描述',
  `global_config` varchar(10240) DEFAULT NULL COMMENT '全局配置',
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='业务域表';

CREATE TABLE `kg_sys_lock` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  `method_name` varchar(128) DEFAULT NULL COMMENT '方法名',
  `method_value` varchar(128) DEFAULT NULL COMMENT '方法值',
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_mname` (`method_name`)
) DEFAULT CHARSET=utf8mb4 COMMENT='系统内置表，用于分布式锁实现';

CREATE TABLE `kg_ontology_entity` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `original_id` bigint(20) unsigned NOT NULL DEFAULT 0 COMMENT '类型的原始ID',
  `name` varchar(255) NOT NULL COMMENT '类型具体名称',
  `name_zh` varchar(255) NOT NULL COMMENT '类型具体中文名称',
  `entity_category` varchar(20) NOT NULL COMMENT 'BASIC / ADVANCED / STANDARD',
  `layer` varchar(20) DEFAULT NULL COMMENT '类型所属层次',
  `status` char(1) NOT NULL DEFAULT '0' COMMENT '状态',
  `version` int(11) NOT NULL DEFAULT 0 COMMENT '版本',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  `unique_name` varchar(255) DEFAULT NULL COMMENT '唯一名称',
  PRIMARY KEY (`id`),
  KEY `idx_original_id` (`original_id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='本体类型表';

CREATE TABLE `kg_ontology_entity_parent` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `entity_id` bigint(20) unsigned NOT NULL COMMENT '类型ID',
  `parent_id` bigint(20) unsigned NOT NULL COMMENT '父类型ID',
  `status` char(1) NOT NULL DEFAULT '0' COMMENT '状态',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='本体类型继承关系表';

CREATE TABLE `kg_ontology_entity_property_range` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `domain_id` bigint(20) unsigned NOT NULL COMMENT '类型ID',
  `property_name` varchar(255) NOT NULL COMMENT '属性名',
  `range_id` bigint(20) unsigned NOT NULL COMMENT '值类型ID',
  `property_name_zh` varchar(255) NOT NULL COMMENT '属性中文名',
  `status` char(1) NOT NULL DEFAULT '0' COMMENT '状态',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='本体属性表';

CREATE TABLE `kg_project_entity` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `project_id` bigint(20) unsigned NOT NULL COMMENT '项目ID',
  `entity_id` bigint(20) unsigned NOT NULL COMMENT '类型ID',
  `version` int(11) NOT NULL DEFAULT 0 COMMENT '版本',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='项目与类型关系表';

CREATE TABLE `kg_ontology_semantic` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `ontology_id` varchar(128) NOT NULL COMMENT '本体ID',
  `predicate_id` varchar(128) NOT NULL COMMENT '谓词ID',
  `status` char(1) NOT NULL DEFAULT '0' COMMENT '状态',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='本体语义表';

CREATE TABLE `kg_semantic_rule` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `name` varchar(255) DEFAULT NULL COMMENT '规则名称',
  `expression` mediumtext NOT NULL COMMENT '规则内容',
  `status` varchar(20) NOT NULL DEFAULT 'INIT' COMMENT '状态',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='语义规则表';

CREATE TABLE `kg_ontology_property_constraint` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `name` varchar(255) NOT NULL COMMENT '约束名称',
  `is_require` char(1) NOT NULL DEFAULT 'N' COMMENT '是否必填',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='属性约束表';

CREATE TABLE `kg_ontology_release` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `project_id` bigint(20) NOT NULL COMMENT '项目ID',
  `version` int(11) NOT NULL COMMENT '发布版本',
  `schema_view` longtext DEFAULT NULL COMMENT '当前版本schema视图',
  `user_id` varchar(20) NOT NULL COMMENT '发布者',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='本体发布版本表';

CREATE TABLE `kg_ontology_ext` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT '主键',
  `resource_id` varchar(128) NOT NULL COMMENT '实体类型id/属性id/关系id',
  `resource_type` varchar(64) NOT NULL COMMENT '类型',
  `ext_type` varchar(64) NOT NULL COMMENT '扩展类型',
  `field` varchar(64) NOT NULL COMMENT '扩展字段',
  `config` mediumtext DEFAULT NULL COMMENT '配置内容',
  `gmt_create` timestamp NOT NULL DEFAULT current_timestamp() COMMENT '创建时间',
  `gmt_modified` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp() COMMENT '修改时间',
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COMMENT='本体扩展表';

INSERT INTO kg_biz_domain (`id`,`name`,`status`,`description`) VALUES (1,'defaultTenant','VALID','');
INSERT INTO kg_ontology_entity (`id`,`original_id`,`name`,`name_zh`,`entity_category`,`layer`,`status`,`version`,`unique_name`)
VALUES (1,1,'Thing','事物','ADVANCED','EXTENSION','1',44,'Thing'), (2,2,'Text','文本','BASIC','CORE','1',0,'Text'),
       (4,4,'Integer','整型','BASIC','CORE','1',0,'Integer'), (5,5,'Float','浮点数','BASIC','CORE','1',0,'Float');
INSERT INTO kg_project_info (`id`,`name`,`description`,`status`,`namespace`,`biz_domain_id`,`config`)
VALUES (1,'MedicineKB','医疗知识库 (the knowledge base to keep)','VALID','Medicine',1,'{"graph_store":{"database":"medicine"}}');
