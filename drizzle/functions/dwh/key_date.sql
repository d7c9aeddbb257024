-- The date of a day key (yyyymmdd): the inverse of dwh.day_key.
CREATE OR REPLACE FUNCTION dwh.key_date(key integer)
RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT make_date(key / 10000, key / 100 % 100, key % 100) $$;
