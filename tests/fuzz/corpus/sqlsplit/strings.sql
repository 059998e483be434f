select 'a;b', "c\"d", `e``f`;
insert into t values ('it''s');
