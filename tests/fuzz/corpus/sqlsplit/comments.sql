-- c;
# h;
/* b; */ select 1 /* i */ -- t
;
select 1--x;
