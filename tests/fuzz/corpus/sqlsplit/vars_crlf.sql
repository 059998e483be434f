select @id := id from t where name='a';
SET @L="x";
