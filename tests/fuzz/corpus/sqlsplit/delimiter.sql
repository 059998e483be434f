DELIMITER $$
CREATE PROCEDURE p() BEGIN select 1; END$$
delimiter ;
select 2;
  Delimiter //
select 3; //
DELIMITER ;
