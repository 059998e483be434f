insert into t values ('中文;注释'); -- 中文注释
select `列` /* 数据 */;;;
